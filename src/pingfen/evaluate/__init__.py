"""Stage 3 — a checked AST made executable: the compiled `Rubric` (generated code), the
plain tree walker that is its independent oracle, what each node reads, and refusals."""
