"""Editor support: what a language server answers about one rule file (`pingfen lsp`).

`index` finds the names of a file and what each one means, `hover` words a name,
`fixes` turns the diagnostics that carry a suggestion into edits, and `server` speaks
the Language Server Protocol over them. All of it reads the file through the same
parser and checker as the command line: there is no second checker here.
"""
