"""`python -m pingfen`: the command line, as the `pingfen` script runs it (editors start `python -m pingfen lsp`)."""

import sys

from pingfen.cli import main

if __name__ == "__main__":  # imported (as the tests walk the package), it runs nothing
    sys.exit(main())
