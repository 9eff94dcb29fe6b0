"""Stage 2 — static analysis of an AST, as a sequence of passes: names and units, rules,
examples, soundness (over the intervals of `intervals`). Pure: no I/O."""
