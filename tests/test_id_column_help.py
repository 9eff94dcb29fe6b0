"""`--id-column`'s help said the default is the `id` column, but a `编号` column names the rows
too when there is no `id` (docs/data.md, *Ids*): a user whose file has 编号 was told otherwise."""

from __future__ import annotations

import pytest

from pingfen.cli import main


@pytest.mark.parametrize(("lang", "said"), [("zh", "否则 `编号` 列"), ("en", "else `编号`")])
def test_the_help_names_the_编号_column(lang: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", lang, "eval", "--help"]) == 0
    out = capsys.readouterr().out
    assert said in " ".join(out.split()), out
