"""`python -m pingfen`: the command line, as the `pingfen` script runs it (editors start `python -m pingfen lsp`)."""

import sys

from pingfen.cli import main

sys.exit(main())
