// The workbench page: an editor over one .rule file, checked as one types, with the
// official table, a scoring form, the examples, fuzz and batch scoring beside it.
// Every answer comes from the server (pingfen's own library); this script only shows it.
(function () {
  "use strict";
  var TOKEN = document.querySelector('meta[name="pingfen-token"]').content;
  var lang = document.querySelector('meta[name="pingfen-lang"]').content === "en" ? "en" : "zh";
  var MAX_UPLOAD = Number(document.querySelector('meta[name="pingfen-max-upload"]').content) || 0;

  var WORDS = {
    zh: {
      title: "评分工作台", file: "评分表文件", "new": "新建", format: "格式化", save: "保存", save_as: "另存为",
      tab_table: "评分表", tab_form: "试评分", tab_tests: "示例与检验", tab_batch: "批量评分",
      stale: "评分表有错误：下面是最近一次无误时的样子", total: "总分", grade: "等次", node: "指标",
      max: "分值", score: "得分", reasons: "扣分原因", run_examples: "运行示例并统计覆盖",
      run_fuzz: "随机检验（fuzz）", template: "下载填报模板：",
      upload: "上传数据文件（10 MB 以内）：", folder_data: "或评分文件夹中的数据文件：", score_it: "评分",
      checking: "检查中…", clean: "没有发现问题", saved: "已保存", unsaved: "未保存",
      saved_then_changed: "已保存；保存后的修改未保存",
      counts: function (e, w, n) { return e + " 个错误，" + w + " 个警告，" + n + " 个提示"; },
      yes: "是", no: "否", empty: "（未填）", new_name: "新文件名（.rule）：", save_as_name: "另存为（.rule）：", running: "运行中…",
      passed: "全部示例通过", failed: "有示例未通过", no_examples: "没有示例",
      fuzz_ok: "随机检验通过", fuzz_bad: "随机检验发现问题",
      rows: function (n, bad) { return "共 " + n + " 行，" + bad + " 行无法评分"; },
      col: { id: "单位", total: "总分", grade: "等次", error: "错误" }, toggle: "English",
      discard: "当前文件有未保存的修改，确定放弃吗？",
      missing: function (n) { return "还有 " + n + " 项未填：已填的指标先行评分，总分待填齐后给出"; },
      too_large: function (name, size, limit) {
        return "PF852: 上传的文件 `" + name + "` 有 " + size + " 字节，超过上限 " + limit + " 字节：请拆分为几个文件后分别上传";
      },
      unreadable: function (name) { return "无法读取 `" + name + "`：请检查文件后再上传"; }
    },
    en: {
      title: "Scoring workbench", file: "Rule file", "new": "New", format: "Format", save: "Save", save_as: "Save as",
      tab_table: "Table", tab_form: "Try scoring", tab_tests: "Examples & checks", tab_batch: "Batch",
      stale: "The rubric has errors: this is how it looked when it last had none", total: "Total",
      grade: "Grade", node: "Indicator", max: "Max", score: "Score", reasons: "Reasons",
      run_examples: "Run examples with coverage", run_fuzz: "Fuzz", template: "Download a data-entry template: ",
      upload: "Upload a data file (up to 10 MB): ", folder_data: "or score a data file of the folder: ",
      score_it: "Score",
      checking: "checking…", clean: "no problems found", saved: "saved", unsaved: "not saved",
      saved_then_changed: "saved; the changes made since are not saved",
      counts: function (e, w, n) { return e + " errors, " + w + " warnings, " + n + " notes"; },
      yes: "yes", no: "no", empty: "(empty)", new_name: "New file name (.rule):", save_as_name: "Save as (.rule):", running: "running…",
      passed: "every example passes", failed: "some examples fail", no_examples: "no examples",
      fuzz_ok: "fuzz found nothing", fuzz_bad: "fuzz found a problem",
      rows: function (n, bad) { return n + " rows, " + bad + " could not be scored"; },
      col: { id: "id", total: "total", grade: "grade", error: "error" }, toggle: "中文",
      discard: "The file has changes that are not saved: discard them?",
      missing: function (n) { return n + " inputs still empty: the indicators whose inputs are given are scored; the total comes when all are"; },
      too_large: function (name, size, limit) {
        return "PF852: the uploaded file `" + name + "` is " + size + " bytes, larger than the limit of " + limit + " bytes: split it into a few files and upload each";
      },
      unreadable: function (name) { return "cannot read `" + name + "`: check the file and upload it again"; }
    }
  };
  function w(key) { return WORDS[lang][key]; }
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function api(method, path, body) {
    var options = { method: method, headers: { "X-Pingfen-Token": TOKEN } };
    if (body !== undefined) {
      options.headers["Content-Type"] = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
      options.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    var sep = path.indexOf("?") < 0 ? "?" : "&";
    return fetch(path + sep + "lang=" + lang, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { var e = new Error(data.message || response.statusText); e.data = data; throw e; }
        return data;
      });
    });
  }
  function withToken(url) { return url + (url.indexOf("?") < 0 ? "?" : "&") + "token=" + encodeURIComponent(TOKEN); }

  // ------------------------------------------------------------ the editor
  var editor = CodeMirror($("editor"), {
    mode: "pingfen-rule", lineNumbers: true, indentUnit: 2, tabSize: 2, indentWithTabs: false,
    extraKeys: { Tab: function (cm) { cm.replaceSelection("  "); } }
  });
  window.pingfenEditor = editor; // for the end-to-end tests, and for anyone at the console
  var current = { path: null, saved: "" };
  var marks = [];
  var lines = [];
  var checkTimer = null;
  var checkSeq = 0;
  var lastInputs = null;

  function name() { return current.path || ""; }
  function body(extra) {
    var out = { text: editor.getValue(), name: name(), lang: lang };
    Object.keys(extra || {}).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }

  editor.on("change", function () {
    $("save-status").textContent = editor.getValue() === current.saved ? "" : w("unsaved");
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 300);
  });

  // The last text that loaded: while the text has errors, its table and form stay shown, and
  // are worded again from it when the language changes (`reword`).
  var lastLoaded = null;
  function check(reword) {
    var seq = ++checkSeq;
    var sent = body();
    $("check-status").textContent = w("checking");
    return api("POST", "/api/check", sent).then(function (data) {
      if (seq !== checkSeq) return; // a later keystroke's answer will come
      showDiagnostics(data.diagnostics);
      if (data.table !== undefined) {
        lastLoaded = sent.text;
        $("table-frame").srcdoc = data.table;
        $("table-stale").hidden = true;
        if (JSON.stringify(data.inputs) !== JSON.stringify(lastInputs)) buildForm(data.inputs);
        scoreSoon();
      } else {
        $("table-stale").hidden = false;
        if (reword && lastLoaded !== null) {
          return api("POST", "/api/check", body({ text: lastLoaded })).then(function (old) {
            if (seq !== checkSeq || old.table === undefined) return; // typed into meanwhile: that check shows its own
            $("table-frame").srcdoc = old.table;
            buildForm(old.inputs);
          }, function () {});
        }
      }
    }, function (error) { // refused (say, PF850: it extends a file outside the folder)
      if (seq !== checkSeq) return;
      showDiagnostics([]);
      $("check-status").textContent = (error.data && error.data.code ? error.data.code + ": " : "") + error.message;
      $("check-status").className = "bad";
      $("table-stale").hidden = false;
    });
  }

  // The editor's place of a line and column as pingfen counts them (from 1, in characters):
  // CodeMirror counts UTF-16 units, two for a character outside the BMP (𠀀, an emoji).
  function position(line, column) {
    var text = editor.getLine(line - 1) || "";
    var ch = 0, n = 1;
    for (; n < column && ch < text.length; n++) {
      var unit = text.charCodeAt(ch);
      ch += unit >= 0xd800 && unit < 0xdc00 && ch + 1 < text.length ? 2 : 1;
    }
    return { line: line - 1, ch: ch + (column - n) }; // past the line's end: as far past
  }

  function showDiagnostics(list) {
    marks.forEach(function (m) { m.clear(); });
    lines.forEach(function (l) { editor.removeLineClass(l, "background", "pf-line-error"); });
    marks = []; lines = [];
    var box = $("diagnostics");
    box.textContent = "";
    var counts = { error: 0, warning: 0, note: 0 };
    list.forEach(function (d) {
      counts[d.severity] = (counts[d.severity] || 0) + 1;
      var pre = el("pre", { "class": "diagnostic " + d.severity, "data-code": d.code }, d.text);
      box.appendChild(pre);
      if (!d.in_file || d.line < 1) return;
      var from = position(d.line, d.column);
      var to = position(d.end_line, d.end_column);
      if (to.line === from.line && to.ch <= from.ch) to = { line: from.line, ch: from.ch + 1 };
      marks.push(editor.markText(from, to, { className: "pf-" + d.severity, attributes: { title: d.code + " " + d.message } }));
      if (d.severity === "error") lines.push(editor.addLineClass(from.line, "background", "pf-line-error"));
      pre.addEventListener("click", function () { editor.focus(); editor.setCursor(from); });
    });
    var status = $("check-status");
    var any = list.length > 0;
    status.textContent = any ? w("counts")(counts.error, counts.warning, counts.note) : w("clean");
    status.className = counts.error ? "bad" : "ok";
  }

  // ------------------------------------------------------------ files
  function loadFiles(select) {
    return listFiles(select, true).then(function (pick) { return pick ? open(pick) : check(); });
  }

  // The lists of rule files and data files, refreshed; the file to show (`select`, else the first;
  // with `listed`, a `select` gone from the folder is the first too).
  function listFiles(select, listed) {
    return api("GET", "/api/files").then(function (data) {
      if (listed && data.rules.indexOf(select) < 0) select = null;
      var sources = $("batch-source");
      sources.textContent = "";
      data.data.forEach(function (p) { // the folder lists the data files a batch reads, and no other
        sources.appendChild(el("option", { value: p }, p));
      });
      var box = $("file-select");
      box.textContent = "";
      data.rules.forEach(function (path) { box.appendChild(el("option", { value: path }, path)); });
      var pick = select || (data.rules.length ? data.rules[0] : null);
      if (pick && !data.rules.some(function (p) { return p === pick; })) box.appendChild(el("option", { value: pick }, pick));
      if (pick) box.value = pick;
      return pick;
    });
  }

  function open(path) {
    return api("GET", "/api/file?path=" + encodeURIComponent(path)).then(function (data) {
      current = { path: data.path, saved: data.text, version: data.version, crlf: data.crlf, bom: data.bom };
      remember("file", data.path);
      lastInputs = lastLoaded = null;
      $("table-frame").srcdoc = ""; // another file's table must not stand for this one's
      editor.setValue(data.text);
      clearTimeout(checkTimer); // the change's delayed check: the one below checks the file now
      current.saved = editor.getValue(); // as the editor holds it (line endings made one)
      editor.clearHistory();
      $("save-status").textContent = "";
      return check();
    }, function (error) { // not opened (say, PF006: not UTF-8): the editor still holds the file it held
      $("file-select").value = current.path;
      $("save-status").textContent = error.message;
    });
  }

  function unsaved() { return current.saved !== editor.getValue(); }
  window.addEventListener("beforeunload", function (event) { if (unsaved()) event.preventDefault(); });
  $("file-select").addEventListener("change", function () {
    if (unsaved() && !window.confirm(w("discard"))) { $("file-select").value = current.path; return; }
    open($("file-select").value);
  });
  $("new-file").addEventListener("click", function () {
    if (unsaved() && !window.confirm(w("discard"))) return; // the new file's text replaces the editor's
    var path = window.prompt(w("new_name"), "新评分表.rule");
    if (!path) return;
    if (!/\.rule$/.test(path)) path += ".rule";
    current = { path: path, saved: null, version: "" }; // "": the save refuses to replace a file made meanwhile
    lastInputs = lastLoaded = null;
    $("table-frame").srcdoc = "";
    $("file-select").appendChild(el("option", { value: path }, path));
    $("file-select").value = path;
    editor.setValue('rubric "' + path.replace(/\.rule$/, "") + '" {\n  total 100\n}\n');
  });
  var saving = false;
  $("save").addEventListener("click", function () { save(current); });
  // The editor's text saved under a new name (PF858's way out: the file changed on disk since it
  // was opened, and neither change is to be lost); a file of that name is not replaced.
  $("save-as").addEventListener("click", function () {
    if (saving) return;
    var path = window.prompt(w("save_as_name"), current.path ? current.path.replace(/\.rule$/, "") + "（副本）.rule" : "新评分表.rule");
    if (!path) return;
    if (!/\.rule$/.test(path)) path += ".rule";
    // the editor is that file's once it is saved; it keeps the line ends and BOM of the file it was
    save({ path: path, saved: null, version: "", crlf: current.crlf, bom: current.bom }, current);
  });
  // `from`: for a save under a new name, the file the editor held when it was asked; the new
  // file becomes the editor's only if no other file was opened while the save was on its way.
  function save(file, from) {
    if (!file.path || saving) return; // one save at a time: a second would carry the version the first replaces
    var text = editor.getValue();
    var query = file.version === undefined ? "" : "&version=" + encodeURIComponent(file.version);
    query += (file.crlf ? "&crlf=1" : "") + (file.bom ? "&bom=1" : ""); // for a new file: an existing one keeps its own
    saving = true;
    api("PUT", "/api/file?path=" + encodeURIComponent(file.path) + query, text).then(function (data) {
      saving = false;
      file.saved = text; // what is on disk now, and the version to save over next (PF858 for any other)
      file.version = data.version;
      if (from && from === current) current = file;
      if (file === current) remember("file", file.path);
      if (file !== current) return; // another file was opened meanwhile
      // The editor keeps what it holds, and its undo history: what was typed while the save
      // was on its way is kept, and marked as not saved.
      $("save-status").textContent = editor.getValue() === text ? w("saved") : w("saved_then_changed");
      return listFiles(file.path).then(function () { // a new file joins the list
        if (file !== current && current.path) $("file-select").value = current.path; // another was opened meanwhile
      });
    }, function (error) {
      saving = false;
      if (file === current || (from && from === current)) $("save-status").textContent = error.message;
    });
  }
  $("format").addEventListener("click", function () {
    var sent = body();
    api("POST", "/api/format", sent).then(function (data) {
      if (editor.getValue() !== sent.text) return; // typed into meanwhile: the layout of older text would undo it
      if (data.text !== undefined) {
        if (data.text !== editor.getValue()) editor.setValue(data.text);
      } else {
        showDiagnostics(data.diagnostics);
      }
    });
  });

  // ------------------------------------------------------------ the form
  var scoreTimer = null;
  function buildForm(inputs) {
    var form = $("form");
    var kept = formValues();
    lastInputs = inputs;
    form.textContent = "";
    (inputs || []).forEach(function (spec, n) {
      var id = "input-" + n;
      form.appendChild(el("label", { "for": id }, spec.name));
      var field = el("div", { "class": "field", "data-input": spec.name });
      var control;
      if (spec.type === "bool" || spec.type === "label") {
        control = el("select", { id: id, name: spec.name, "data-type": spec.type });
        control.appendChild(el("option", { value: "" }, w("empty")));
        var choices = spec.type === "bool" ? [["true", w("yes")], ["false", w("no")]]
          : spec.labels.map(function (l) { return [l, l]; });
        choices.forEach(function (c) { control.appendChild(el("option", { value: c[0] }, c[1])); });
      } else {
        control = el("input", { id: id, name: spec.name, "data-type": spec.type, inputmode: "decimal" });
      }
      if (kept[spec.name] !== undefined) control.value = kept[spec.name];
      field.appendChild(control);
      if (spec.type === "percent") field.appendChild(el("span", { "class": "unit" }, "%"));
      field.appendChild(el("small", {}, spec.question));
      form.appendChild(field);
    });
  }
  function formValues() {
    var out = {};
    Array.prototype.forEach.call($("form").elements, function (c) { if (c.name) out[c.name] = c.value; });
    return out;
  }
  function record() {
    var out = {};
    Array.prototype.forEach.call($("form").elements, function (c) {
      if (!c.name || c.value.trim() === "") return;
      var type = c.getAttribute("data-type");
      var value = c.value.trim();
      if (type === "bool") out[c.name] = value === "true";
      else if (type === "percent") out[c.name] = /[%\uff05]$/.test(value) ? value : value + "%"; // 95, 95% or 95％
      else out[c.name] = value;
    });
    return out;
  }
  $("form").addEventListener("input", scoreSoon);
  $("form").addEventListener("change", scoreSoon);
  function scoreSoon() { clearTimeout(scoreTimer); scoreTimer = setTimeout(score, 200); }

  var scoreSeq = 0;  // the latest score asked for: an earlier one answered later is not shown over it (as checkSeq)
  function score() {
    var values = record();
    if (!Object.keys(values).length) return;
    var seq = ++scoreSeq;
    return api("POST", "/api/score", body({ values: values })).then(function (data) {
      if (seq === scoreSeq) showScore(data);
    }, function () {});
  }
  function showScore(data) {
    var problems = $("score-problems");
    var rows = $("score-nodes").tBodies[0];
    problems.textContent = "";
    Array.prototype.forEach.call(document.querySelectorAll("#form .field"), function (f) {
      f.classList.remove("bad");
      f.classList.remove("missing");
    });
    (data.problems || []).forEach(function (p) {
      problems.appendChild(el("li", { "data-code": p.code }, p.code + ": " + p.message + (p.hint ? " — " + p.hint : "")));
      var field = document.querySelector('#form .field[data-input="' + CSS.escape(p.input || "") + '"]');
      if (field) field.classList.add("bad");
    });
    (data.missing || []).forEach(function (name) {
      var field = document.querySelector('#form .field[data-input="' + CSS.escape(name) + '"]');
      if (field) field.classList.add("missing");
    });
    var complete = data.total !== undefined;
    $("score-total").textContent = complete ? data.total + " / " + data.max : "—";
    $("score-grade").textContent = complete ? data.grade || "—" : "—";
    $("score-missing").textContent = data.missing && data.missing.length ? w("missing")(data.missing.length) : "";
    rows.textContent = "";
    data.nodes.forEach(function (n) {
      var tr = el("tr", { "class": n.group ? "group" : "indicator", "data-node": n.name });
      var cell = el("td", {}, n.name);
      cell.style.paddingLeft = (0.4 + 1.2 * n.depth) + "em";
      tr.appendChild(cell);
      tr.appendChild(el("td", { "class": "num" }, n.max));
      tr.appendChild(el("td", { "class": "num score" }, n.score === null ? "—" : n.score));
      tr.appendChild(el("td", { "class": "reasons" }, n.reasons.join(lang === "zh" ? "；" : "; ")));
      rows.appendChild(tr);
    });
  }

  // ------------------------------------------------------------ examples, coverage, fuzz
  $("examples-run").addEventListener("click", function () {
    $("examples-summary").textContent = w("running");
    ["examples-out", "coverage-out"].forEach(function (id) { $(id).textContent = ""; });
    api("POST", "/api/examples", body()).then(function (data) {
      var head = data.examples.length ? (data.passed ? w("passed") : w("failed")) : w("no_examples");
      $("examples-summary").textContent = head + " — " + data.summary;
      $("examples-summary").className = data.passed ? "ok" : "bad";
      $("examples-out").textContent = data.failures;
      $("coverage-out").textContent = data.coverage;
    }, function (error) { $("examples-summary").textContent = error.message; });
  });
  $("fuzz-run").addEventListener("click", function () {
    $("fuzz-out").textContent = w("running");
    api("POST", "/api/fuzz", body()).then(function (data) {
      $("fuzz-out").textContent = (data.passed ? w("fuzz_ok") : w("fuzz_bad")) + "\n\n" + data.text;
    }, function (error) { $("fuzz-out").textContent = error.message; });
  });

  // ------------------------------------------------------------ batch and template
  function showDownloads(links, keep) {
    var box = $("downloads");
    if (!keep) box.textContent = "";
    Object.keys(links).forEach(function (file) {
      box.appendChild(el("a", { href: withToken(links[file]), download: file, "class": "download" }, file));
    });
  }
  $("batch-file").addEventListener("change", function () {
    var file = $("batch-file").files[0];
    if (!file) return;
    $("batch-file").value = ""; // the same file chosen again (fixed in Excel meanwhile) is a change too, and read again
    if (MAX_UPLOAD && file.size > MAX_UPLOAD) { // read whole into the page first, a huge file froze it or failed unsaid
      $("batch-status").textContent = w("too_large")(file.name, file.size, MAX_UPLOAD);
      return;
    }
    $("batch-status").textContent = w("running");
    var reader = new FileReader();
    reader.onerror = function () { $("batch-status").textContent = w("unreadable")(file.name); };
    reader.onload = function () {
      var data = String(reader.result).replace(/^data:[^,]*,/, "");
      api("POST", "/api/batch", body({ file_name: file.name, data: data })).then(showBatch, function (error) {
        $("batch-status").textContent = error.message;
      });
    };
    reader.readAsDataURL(file);
  });
  $("batch-run").addEventListener("click", function () {
    var path = $("batch-source").value;
    if (!path) return;
    $("batch-status").textContent = w("running");
    api("POST", "/api/batch", body({ file_name: path, path: path })).then(showBatch, function (error) {
      $("batch-status").textContent = error.message;
    });
  });
  function showBatch(data) {
    var cols = w("col");
    var table = $("batch-table");
    table.textContent = "";
    var head = el("tr");
    data.columns.forEach(function (c) { head.appendChild(el("th", {}, cols[c] || c)); });
    table.appendChild(el("thead")).appendChild(head);
    var rows = table.appendChild(el("tbody"));
    data.rows.forEach(function (r) {
      var tr = el("tr", { "class": r.error ? "bad" : "ok", "data-row": r.number });
      tr.appendChild(el("td", {}, r.id));
      r.scores.forEach(function (s) { tr.appendChild(el("td", { "class": "num" }, s)); });
      tr.appendChild(el("td", { "class": "num total" }, r.total));
      tr.appendChild(el("td", { "class": "grade" }, r.grade));
      tr.appendChild(el("td", { "class": "error" }, r.error));
      rows.appendChild(tr);
    });
    $("batch-status").textContent = w("rows")(data.rows.length, data.failed);
    showDownloads(data.downloads);
  }
  ["xlsx", "csv"].forEach(function (fmt) {
    $("template-" + fmt).addEventListener("click", function () {
      api("POST", "/api/template", body({ format: fmt })).then(function (data) {
        showDownloads(data.downloads, true);
        var link = document.querySelector('#downloads a[download="' + Object.keys(data.downloads)[0] + '"]');
        if (link) link.click();
      }, function (error) { $("batch-status").textContent = error.message; });
    });
  });

  // ------------------------------------------------------------ tabs and language
  Array.prototype.forEach.call(document.querySelectorAll("#tabs button"), function (button) {
    button.addEventListener("click", function () {
      Array.prototype.forEach.call(document.querySelectorAll("#tabs button"), function (b) {
        b.classList.toggle("active", b === button);
        $("pane-" + b.getAttribute("data-tab")).hidden = b !== button;
      });
      if (button.getAttribute("data-tab") === "form") editor.refresh();
    });
  });
  function translate() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = w("title") + " · pingfen";
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (node) {
      node.textContent = w(node.getAttribute("data-t"));
    });
    $("lang-toggle").textContent = w("toggle");
  }
  $("lang-toggle").addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh";
    translate();
    if (unsaved()) $("save-status").textContent = w("unsaved");
    // The address keeps the language: a reload opens the page in it again.
    remember("lang", lang);
    lastInputs = null; // the questions and choices are worded in the language
    check(true);
  });

  // The address keeps the language and the file open: a reload (PF858 asks for one) opens them again.
  function remember(key, value) {
    var address = new URL(window.location.href);
    address.searchParams.set(key, value);
    window.history.replaceState(null, "", address.toString());
  }

  translate();
  loadFiles(new URL(window.location.href).searchParams.get("file") || undefined);
})();
