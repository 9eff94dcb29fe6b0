// The CodeMirror mode for .rule files (pingfen's language), on CodeMirror's simple-mode addon.
// Keywords are grammar/pingfen.lark's; tests/test_serve_static.py keeps the two in step.
(function () {
  "use strict";
  var KEYWORDS = [
    "above", "abs", "add", "adjust", "amount", "and", "applies", "award", "bands", "batch", "below", "bonus",
    "bool", "cap", "ceiling", "count", "counting", "date", "days", "decreasing", "deduct", "down",
    "else", "error", "example", "expect", "extends", "false", "floor", "for", "from", "full",
    "given", "grade", "group", "half_down", "half_even", "half_up", "if", "increasing", "indicator",
    "input", "judgment", "label", "let", "list", "match", "max", "mean", "median", "min",
    "monotone", "months", "not", "number", "of", "on", "or", "otherwise", "penalty", "pending",
    "per", "percent", "precision", "property", "proportional", "rank", "reason", "remove",
    "rescale", "round", "rubric", "score", "started", "then", "to", "total", "trimmed_mean", "true",
    "up", "veto", "when", "whole", "year", "zero"
  ];
  // A name as the grammar's NAME: a letter (any script) or an opening quote, then letters, digits, quotes.
  var NAME = /(?:[\p{L}_]|[“‘《〈「『])[\p{L}\p{N}_“”‘’《》〈〉「」『』·]*/u;
  var keyword = new RegExp("(?:" + KEYWORDS.join("|") + ")(?![\\p{L}\\p{N}_])", "u");
  window.PINGFEN_RULE_KEYWORDS = KEYWORDS;
  CodeMirror.defineSimpleMode("pingfen-rule", {
    start: [
      { regex: /#.*/, token: "comment" },
      { regex: /"(?:[^"\\]|\\.)*"?/, token: "string" },
      { regex: /`[^`]*`?/, token: "variable-2" },
      { regex: /[\d０-９]+(?:[.．][\d０-９]+)?[%％]?/, token: "number" },
      { regex: keyword, token: "keyword" },
      { regex: NAME, token: "variable" },
      { regex: /\.\.|->|>=|<=|==|~=|[<>+\-−－＋*\/:,]/, token: "operator" },
      { regex: /[{\[(]/, indent: true },
      { regex: /[}\])]/, dedent: true }
    ],
    meta: { lineComment: "#", electricChars: "}" }
  });
  CodeMirror.defineMIME("text/x-pingfen-rule", "pingfen-rule");
})();
