"""What `-o` names decides what is written, or nothing is:
- an extension the command does not write is PF706, naming the ones it does (`.xls`: use
  `.xlsx`), unless `--format` says the format: `template R -o 填报.xls` wrote YAML, `eval R
  d.csv -o r.xls` CSV, `render R -o x.pdf` Markdown, `eval R seed.yaml -o s.yaml` a table,
  each with exit 0. A name with no extension takes the default format, as before; `import`,
  which writes rule text, refuses a name of a format (`-o 今年.xlsx` wrote text over a workbook);
- a read-only file (mode 444) is not replaced (PF707), by any command, through a link too:
  it was replaced without a word, its mode kept."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pingfen.cli import main

ROOT = Path(__file__).resolve().parent.parent
RULESET = str(ROOT / "rulesets" / "dept-overall-2021.rule")
SEED = str(ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml")
DEPARTMENTS = str(ROOT / "examples" / "dept-overall-2021" / "departments.csv")


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("command", "name", "listed"),
    [
        (["template", RULESET], "填报.xls", ".csv、.xlsx、.yaml、.yml"),
        (["eval", RULESET, DEPARTMENTS], "r.xls", ".csv、.json、.jsonl、.ndjson、.xlsx"),
        (["render", RULESET], "x.pdf", ".docx、.htm、.html、.md、.xlsx"),
        (["eval", RULESET, SEED], "s.yaml", ".csv、.json、.jsonl、.ndjson、.xlsx"),
        (["report", RULESET, SEED], "r.txt", ".docx、.htm、.html、.md、.pdf、.xlsx"),
    ],
)
def test_an_extension_the_command_does_not_write_is_refused(tmp_path: Path, command: list[str], name: str, listed: str) -> None:
    target = tmp_path / name
    code, out, err = _run([*command, "-o", str(target)])
    assert code == 2 and out == ""
    assert f"错误[PF706]: 无法写入 `{target}`：本命令可写出 {listed}，不能写出 `{target.suffix}`" in err
    assert ("改为 -o 文件名.xlsx" in err) is (name.endswith(".xls")) and "帮助" in err
    assert not target.exists()


@pytest.mark.parametrize(("name", "kind", "kind_en"), [("今年.xlsx", "工作簿", "a workbook"), ("今年.XLSX", "工作簿", "a workbook"),
                                                    ("今年.docx", "文档", "a document"), ("今年.CSV", "数据文件", "a data file"),
                                                    # Word's and WPS's own: they were written over (a review's find)
                                                    ("去年.doc", "文档", "a document"), ("今年.wps", "文档", "a document"),
                                                    ("今年.et", "工作簿", "a workbook"), ("今年.xlsm", "工作簿", "a workbook")])  # fmt: skip
def test_import_writes_no_rule_text_under_a_workbook_or_document_name(tmp_path: Path, name: str, kind: str, kind_en: str) -> None:
    # `pingfen import 去年.xlsx -o 今年.xlsx` wrote the draft's text under a workbook's name, over
    # the workbook there, with exit 0; a rule file's name or any other is written as before.
    # The refusal said 无法按扩展名确定格式 (it can: rule text) and `.xlsx` for `.XLSX`; it says what import writes now.
    table = tmp_path / "去年.xlsx"
    assert _run(["render", RULESET, "-o", str(table)])[0] == 0
    target = tmp_path / name
    target.write_bytes(b"kept")
    code, out, err = _run(["import", str(table), "-o", str(target)])
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"错误[PF706]: 无法写入 `{target}`：pingfen import 写出的是规则文件的文本，而 `{target.suffix}` 是{kind}的扩展名",
        f"  = 帮助: 请以规则文件的名称保存草稿：-o {target.with_suffix('.rule')}",
    ]
    assert target.read_bytes() == b"kept"
    code, _, err = _run(["--lang", "en", "import", str(table), "-o", str(target)])
    assert err.splitlines() == [
        f"error[PF706]: cannot write `{target}`: pingfen import writes a rule file's text, and `{target.suffix}` is the extension of {kind_en}",
        f"  = help: name the draft as a rule file: -o {target.with_suffix('.rule')}",
    ]
    for written in ("今年.rule", "今年.txt", "今年"):
        assert _run(["import", str(table), "-o", str(tmp_path / written)])[0] == 0
        assert (tmp_path / written).read_text(encoding="utf-8").startswith("# 由 `pingfen import` 从")


def test_import_writes_a_draft_only_under_a_rule_or_text_files_name(tmp_path: Path) -> None:
    """Any other extension is refused, whatever kind of file it names: a draft is a rule file."""
    table = tmp_path / "去年.xlsx"
    assert _run(["render", RULESET, "-o", str(table)])[0] == 0
    target = tmp_path / "备份.bak"
    target.write_bytes(b"kept")
    code, _, err = _run(["import", str(table), "-o", str(target)])
    assert code == 2 and target.read_bytes() == b"kept"
    assert err.splitlines()[0] == f"错误[PF706]: 无法写入 `{target}`：pingfen import 写出的是规则文件的文本，而 `.bak` 不是规则文件的扩展名"
    code, _, err = _run(["--lang", "en", "import", str(table), "-o", str(target)])
    assert "`.bak` is not a rule file's extension" in err.splitlines()[0] and target.read_bytes() == b"kept"


def test_in_english(tmp_path: Path) -> None:
    code, _, err = _run(["--lang", "en", "eval", RULESET, DEPARTMENTS, "-o", str(tmp_path / "r.xls")])
    assert code == 2 and "error[PF706]" in err and "writes .csv, .json, .jsonl, .ndjson, .xlsx, not `.xls`" in err
    assert "help: pingfen writes Excel workbooks as .xlsx" in err and "、" not in err


def test_format_says_it_under_a_name_of_no_format(tmp_path: Path) -> None:
    target = tmp_path / "s.txt"
    assert _run(["eval", RULESET, SEED, "-o", str(target), "--format", "json"])[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["total"]
    plain = tmp_path / "结果"  # no extension: the default format
    assert _run(["eval", RULESET, DEPARTMENTS, "-o", str(plain)])[0] in (0, 1)
    assert plain.read_text(encoding="utf-8-sig").startswith("编号,")
    template = tmp_path / "模板"
    assert _run(["template", RULESET, "-o", str(template)])[0] == 0
    assert template.read_text(encoding="utf-8").startswith("# ")
    assert _run(["template", RULESET, "-o", str(tmp_path / "t.XLSX")])[0] == 0  # any case


def test_a_read_only_output_is_not_replaced(tmp_path: Path) -> None:
    locked = tmp_path / "结果.csv"
    locked.write_text("旧的\n", encoding="utf-8")
    locked.chmod(0o444)
    link = tmp_path / "链接.csv"
    link.symlink_to(locked.name)
    for target in (locked, link):
        code, _, err = _run(["eval", RULESET, DEPARTMENTS, "-o", str(target)])
        assert code == 2 and f"错误[PF707]: `{target}` 是只读文件，pingfen 不会替换它" in err
    code, _, err = _run(["--lang", "en", "template", RULESET, "-o", str(locked)])
    assert code == 2 and f"error[PF707]: `{locked}` is read-only: pingfen will not replace it" in err
    assert locked.read_text(encoding="utf-8") == "旧的\n" and locked.stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([locked.name, link.name])  # no temporary file left


def test_fmt_leaves_a_read_only_rule_file(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text('rubric "x" {  total 10 }\nindicator a 10 { score = 10 }\n', encoding="utf-8")
    rule.chmod(0o444)
    code, _, err = _run(["fmt", str(rule)])
    assert code == 2 and "PF707" in err
    assert rule.read_text(encoding="utf-8").startswith('rubric "x" {  total')


def test_a_writable_file_is_still_replaced(tmp_path: Path) -> None:
    target = tmp_path / "结果.csv"
    target.write_text("旧的\n", encoding="utf-8")
    target.chmod(0o640)
    assert _run(["eval", RULESET, DEPARTMENTS, "-o", str(target)])[0] in (0, 1)
    assert target.read_text(encoding="utf-8-sig").startswith("编号,") and target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("command", "name", "fmt", "hint"),
    [
        (["render", RULESET], "评分表.xlsx", "docx", "要写出 docx，请把文件名改为 -o 文件名.docx；要写出 xlsx，请去掉 --format"),
        (["render", RULESET], "评分表.md", "html", "要写出 html，请把文件名改为 -o 文件名.html；要写出 md，请去掉 --format"),
        (["render", RULESET], "评分表.csv", "md", "要写出 md，请把文件名改为 -o 文件名.md"),
        (["template", RULESET], "填报.xls", "xlsx", "要写出 xlsx，请把文件名改为 -o 文件名.xlsx"),
        (["template", RULESET], "填报.yaml", "csv", "要写出 csv，请把文件名改为 -o 文件名.csv；要写出 yaml，请去掉 --format"),
        (["eval", RULESET, DEPARTMENTS], "r.csv", "xlsx", "要写出 xlsx，请把文件名改为 -o 文件名.xlsx；要写出 csv，请去掉 --format"),
        (["eval", RULESET, SEED], "s.yaml", "json", "要写出 json，请把文件名改为 -o 文件名.json"),
        (["eval", RULESET, SEED], "s.json", "table", "要写出 table，请把文件名改为 -o 文件名.txt；要写出 json，请去掉 --format"),
        (["report", RULESET, SEED], "r.docx", "xlsx", "要写出 xlsx，请把文件名改为 -o 文件名.xlsx；要写出 docx，请去掉 --format"),
    ],
)
def test_format_naming_another_format_than_the_name_is_refused(
    tmp_path: Path, command: list[str], name: str, fmt: str, hint: str
) -> None:
    """`render R -o 评分表.xlsx --format docx` wrote a Word file under an Excel name (exit 0)."""
    target = tmp_path / name
    code, out, err = _run([*command, "-o", str(target), "--format", fmt])
    assert code == 2 and out == ""
    suffix = target.suffix
    assert f"错误[PF708]: `{target}` 的扩展名 `{suffix}` 表示" in err and f"而 --format 指定写出 {fmt}" in err
    assert f"  = 帮助: {hint}" in err
    assert not target.exists()


def test_format_naming_another_format_in_english(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    code, _, err = _run(["--lang", "en", "render", RULESET, "-o", str(target), "--format", "docx"])
    assert code == 2 and f"error[PF708]: `{target}`: its extension `.xlsx` names xlsx, but --format docx" in err
    assert "help: to write docx, name the file so: -o NAME.docx; to write xlsx, leave out --format" in err


def test_format_agreeing_with_the_name_writes(tmp_path: Path) -> None:
    for name, fmt in (("x.HTM", "html"), ("x.docx", "docx"), ("x.ndjson", "jsonl")):
        command = ["eval", RULESET, DEPARTMENTS] if fmt == "jsonl" else ["render", RULESET]
        assert _run([*command, "-o", str(tmp_path / name), "--format", fmt])[0] in (0, 1)
        assert (tmp_path / name).exists()
