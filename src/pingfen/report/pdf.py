"""A result as PDF, printed from the HTML report by headless Chromium: the page is laid out
once, in HTML and CSS (A4, header row repeated, 宋体/仿宋 with CJK fallbacks), and the PDF
is what a browser prints of it, fonts embedded.

Chromium runs with a private, temporary profile, no network (every host name resolves to
nothing) and no page header or footer; the page itself has no scripts. Chromium is found
as `$PINGFEN_CHROMIUM`, else `chromium`, `chromium-browser`, `google-chrome` or
`google-chrome-stable` on the PATH; without it the report fails with PF710.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pingfen.errors import OutputError
from pingfen.io.write import atomic_path, write_text
from pingfen.oserrors import OSReason

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 120  # seconds for one page: a report prints in one or two


def find_chromium() -> str | None:
    """The Chromium to print with, or None."""
    asked = os.environ.get("PINGFEN_CHROMIUM")
    if asked:
        return shutil.which(asked)
    return next((found for found in map(shutil.which, NAMES) if found), None)


def require_chromium(path: str | Path) -> str:
    """The Chromium to print with; PF710 (naming `path`) when there is none, before any work is done."""
    found = find_chromium()
    if found is None:
        raise OutputError("PF710", str(path))
    return found


def write_pdf(html: str, path: str | Path) -> None:
    """Print the HTML page `html` to `path` as PDF, atomically. PF710 without Chromium; PF711 when it fails."""
    chromium = require_chromium(path)
    with tempfile.TemporaryDirectory(prefix="pingfen-pdf-") as work:
        page, printed = Path(work, "report.html"), Path(work, "report.pdf")
        write_text(page, html)
        command = [
            chromium, "--headless", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--disable-extensions",
            f"--user-data-dir={Path(work, 'profile')}", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--no-pdf-header-footer", "--print-to-pdf-no-header",  # the newer flag and the older one
            f"--print-to-pdf={printed}", page.as_uri(),
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # Chromium refuses to run as root inside its sandbox
            command.insert(1, "--no-sandbox")
        try:
            run = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise OutputError("PF711", str(path), {"reason": f"no answer in {TIMEOUT} s",
                                                   "reason_zh": f"{TIMEOUT} 秒内没有完成"}) from None  # fmt: skip
        except OSError as error:
            raise OutputError("PF711", str(path), {"reason": OSReason.of(error)}) from None
        if not printed.exists() or printed.read_bytes()[:5] != b"%PDF-":
            said = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]  # Chromium's own last words, as it says them
            reason = {"reason": said[0][:300], "reason_zh": said[0][:300]} if said else {
                "reason": f"it ended with exit code {run.returncode} and wrote no PDF",
                "reason_zh": f"它以退出码 {run.returncode} 结束，未写出 PDF"}  # fmt: skip
            raise OutputError("PF711", str(path), reason)
        with atomic_path(path) as tmp:
            shutil.copyfile(printed, tmp)
