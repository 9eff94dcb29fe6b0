"""Stage 1 — rule text to AST: the grammar, the parser and its messages, the scanner, the formatter.

The only package that imports lark.
"""
