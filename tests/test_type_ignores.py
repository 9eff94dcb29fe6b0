"""Every `# type: ignore` in `src/pingfen` names the error it silences and says why beside it:
`# type: ignore[no-untyped-call]  # lark's loader is untyped`. mypy itself refuses an ignore
without a code (`enable_error_code = ["ignore-without-code"]` in pyproject.toml); this adds
the reason, which mypy cannot ask for."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "pingfen"

# `# type: ignore`, its codes, and what follows on the line.
IGNORE = re.compile(r"#\s*type:\s*ignore\b(\[[^\]]*\])?(.*)")
REASON = re.compile(r"\s+#\s*\S")

# Files allowed bare ignores for a while (none now): a name here is a debt, not a rule.
PENDING: set[str] = set()


def bare_ignores(source: str) -> list[tuple[int, str]]:
    """(line, comment) of each `# type: ignore` lacking a code or a reason."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = IGNORE.search(token.string)
        if match and not (match.group(1) and REASON.match(match.group(2))):
            found.append((token.start[0], token.string))
    return found


def test_the_check_tells_a_reason_from_none() -> None:
    assert bare_ignores("x = f()  # type: ignore[no-untyped-call]  # lark is untyped\n") == []
    assert bare_ignores("x = f()  # type: ignore[no-untyped-call]\n") == [(1, "# type: ignore[no-untyped-call]")]
    assert bare_ignores("x = f()  # type: ignore  # why\n") != []
    assert bare_ignores('x = "# type: ignore"\n') == []  # text, not a comment


def test_every_ignore_has_a_code_and_a_reason() -> None:
    files = sorted(SRC.rglob("*.py"))
    assert files
    missing = [
        f"{path.relative_to(SRC)}:{line}: {comment}"
        for path in files
        if path.relative_to(SRC).as_posix() not in PENDING
        for line, comment in bare_ignores(path.read_text(encoding="utf-8"))
    ]
    assert missing == []
