"""`pingfen import`: annex 附件2-2 as an XLSX and a DOCX (built from docs/reference-2021.md
in tests/import_fixtures.py) becomes a rule file that checks clean, recognises all 25 rows,
and, its inputs renamed as rulesets/dept-overall-2021.rule names them, scores as that file."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given, settings

import pingfen
from import_fixtures import ROOT, build_docx, build_xlsx
from pingfen.cli import main
from pingfen.errors import DataError
from pingfen.evaluate.rubric import Rubric
from pingfen.importer import MAX_TABLE_BYTES, import_table
from pingfen.loader import diagnose
from pingfen.testing import boundary_inputs, inputs
from pingfen.values import CONTEXT

REFERENCE = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule", tests=False)


@pytest.fixture(scope="module", params=["xlsx", "docx"])
def table(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("annex")
    build = build_xlsx if request.param == "xlsx" else build_docx
    return build(folder / f"附件2-2.{request.param}")


@pytest.fixture(scope="module")
def imported(table: Path) -> Rubric:
    return pingfen.loads(import_table(table).text, "imported.rule", tests=False)


GUESSED_ZH = "  评价等次：评分表未写明，暂按通用的划分写入，已标 TODO"  # the annex states no grades below it
GUESSED_EN = "  grades: the table states none, the usual grades written, marked TODO"
ROUNDING_ZH = "  保留位数：评分表未写明，暂按总分四舍五入保留 2 位小数写入，已标 TODO"  # nor the rounding
ROUNDING_EN = "  rounding: the table states none, the total rounded half up to 2 places written, marked TODO"


def test_all_25_rows_recognised(table: Path) -> None:
    result = import_table(table)
    assert len(result.rows) == 27 and [r.kind for r in result.rows[-2:]] == ["grades", "rounding"]
    assert result.recognised == 25
    assert result.summary("zh") == ["已识别 25/27 行评分标准（93%）", GUESSED_ZH, ROUNDING_ZH]
    assert result.summary("en") == ["recognised 25 of 27 rows' criteria (93%)", GUESSED_EN, ROUNDING_EN]


def test_the_imported_file_checks_clean(table: Path) -> None:
    text = import_table(table).text
    found = diagnose(text, "imported.rule")  # the usual grades' TODO and the rounding's alone
    assert [(d.code, d.severity) for d in found] == [("PF119", "note")] * 2
    assert "保留位数" in str(found[0].args["text"]) and "评价等次" in str(found[1].args["text"])
    assert "year 2021" in text and "total 100" in text
    # The original criterion stays above its rule, in one line though the cell broke it.
    assert "# 评分标准：以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。\n" in text


def test_xlsx_and_docx_import_alike(tmp_path: Path) -> None:
    a = import_table(build_xlsx(tmp_path / "t.xlsx")).text
    b = import_table(build_docx(tmp_path / "t.docx")).text
    assert a.replace("t.xlsx", "t.docx") == b


def test_tree_points_and_names_as_the_reference(imported: Rubric) -> None:
    """Levels from the merged cells, 分值 from its column (the 效益 rows' shared 15 split), the
    second 管理制度健全性 named for its group as the reference names it."""
    assert _structure(imported) == _structure(REFERENCE)


def _structure(rubric: Rubric) -> list[tuple[str, ...]]:
    return [(spec.name, str(spec.max), *(c.name for c in spec.children)) for top in rubric.tree for spec in top.walk()]


# Imported input ← the reference file's record: a rename, or what the reference computes with `let`.
def _ratio(a: object, b: object) -> Decimal:
    with localcontext(CONTEXT):
        return Decimal(str(a)) / Decimal(str(b))


def _balance(r: dict[str, object]) -> str:
    left, carried = Decimal(str(r["结余"])), Decimal(str(r["上年结转"]))
    return "无结余" if left == 0 else "有结余但不超过上年结转" if left <= carried else "结余超过上年结转"


RENAMED = {
    "专项未按进度完成资金下达个数": "未按进度下达专项数",
    "已制定或具有预算资金管理办法": "已制定预算管理制度",
    "相关管理制度合法合规完整": "预算管理制度合法合规",
    "相关管理制度得到有效执行": "预算管理制度有效执行",
    "资金使用合规性不符合要求例数": "资金使用不合规例数",
    "按规定内容公开预决算信息": "按规定内容公开",
    "按规定时限公开预决算信息": "按规定时限公开",
    "基础数据信息和会计信息资料真实": "基础数据真实",
    "基础数据信息和会计信息资料完整": "基础数据完整",
    "基础数据信息和汇集信息资料准确": "基础数据准确",
    "已制定或具有资产管理制度": "资产管理制度健全",
    "相关资产管理制度得到有效执行": "资产管理制度有效执行",
    "资产管理安全性不符合有关要求例数": "资产管理不合规例数",
    "社会公众或服务对象满意度": "满意度",
}
COMPUTED = {
    "在职人员控制率": lambda r: _ratio(r["在职人数"], r["编制人数"]),
    "“三公经费”变动率": lambda r: _ratio(Decimal(str(r["本年三公经费"])) - Decimal(str(r["上年三公经费"])), r["上年三公经费"]),
    "三公经费控制率": lambda r: _ratio(r["本年三公经费"], r["三公经费预算数"]),
    "资金结余情况": _balance,
}


def renamed(imported: Rubric, record: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in (spec.name for spec in imported.inputs):
        if name in COMPUTED:
            out[name] = COMPUTED[name](record)
        else:
            out[name] = record[RENAMED.get(name, name)]
    return out


def _reference_record() -> dict[str, object]:
    import yaml

    return dict(yaml.safe_load((ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml").read_text("utf-8")))


def assert_scores_alike(imported: Rubric, record: dict[str, object]) -> None:
    # The generated records hold exact ratios (a bare 1.01 is 101%): `ratios=True` says so.
    want = REFERENCE.evaluate(record, ratios=True)
    got = imported.evaluate(renamed(imported, record), ratios=True)
    assert got.scores() == want.scores()
    assert (got.total, got.grade) == (want.total, want.grade)


def test_the_seed_department_scores_alike(imported: Rubric) -> None:
    assert_scores_alike(imported, _reference_record())
    assert imported.evaluate(renamed(imported, _reference_record()), ratios=True).total == Decimal(87)


@settings(deadline=None)
@given(record=inputs(REFERENCE))
def test_generated_records_score_alike(imported: Rubric, record: dict[str, object]) -> None:
    assert_scores_alike(imported, record)


@settings(deadline=None)
@given(record=boundary_inputs(REFERENCE))
def test_records_at_every_threshold_score_alike(imported: Rubric, record: dict[str, object]) -> None:
    assert_scores_alike(imported, record)


# ---------------------------------------------------------------- rows it cannot read


def _small_table(path: Path, criterion: str) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "评分标准", "分值"])
    sheet.append(["产出（10分）", "完成情况", criterion, 5])
    sheet.append([None, "完成质量（5分）", "视完成质量酌情给分", None])
    sheet.merge_cells("A2:A3")
    book.save(path)
    return path


def test_an_unread_row_is_a_judgment_marked_todo_that_check_lists(tmp_path: Path) -> None:
    result = import_table(_small_table(tmp_path / "t.xlsx", "按上级部门考核结果换算"))
    assert result.recognised == 1 and len(result.rows) == 4  # the row, and the grades and rounding the table does not state
    assert "第 2 行 完成情况：未能识别" in "\n".join(result.summary("zh"))
    found = diagnose(result.text, "t.rule")
    assert [(d.code, d.severity) for d in found] == [("PF119", "note")] * 3
    # 分值 from the name when the column is empty: 完成质量（5分）
    assert "indicator 完成质量 5 { judgment }" in result.text


def test_a_todo_comment_draws_a_note_and_other_comments_none() -> None:
    text = 'rubric "示例" {\n  total 5\n}\n\ninput 甲: score\n\n# 说明\n# TODO: 改写\nindicator 甲 5 { judgment }\n'
    found = diagnose(text)
    assert [(d.code, d.span.line, d.args["text"]) for d in found] == [("PF119", 8, "改写")]
    assert "待办：改写" in found[0].render("zh")


# ---------------------------------------------------------------- the command


def test_cli_writes_the_file_and_prints_the_share(table: Path, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "draft.rule"
    assert main(["import", str(table), "-o", str(target)], out, err) == 1  # the grades are a guess
    assert target.read_text("utf-8") == import_table(table).text
    assert "已识别 25/27 行评分标准（93%）" in err.getvalue()
    assert main(["check", str(target)], io.StringIO(), io.StringIO()) == 0


def test_cli_exit_1_when_a_row_is_left_todo(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    path = _small_table(tmp_path / "t.xlsx", "按上级部门考核结果换算")
    assert main(["--lang", "en", "import", str(path)], out, err) == 1
    assert "# TODO" in out.getvalue()
    assert "recognised 1 of 4" in err.getvalue()


def test_cli_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    path = _small_table(tmp_path / "t.xlsx", "视情况给分")
    before = path.read_bytes()
    err = io.StringIO()
    assert main(["import", str(path), "-o", str(path)], io.StringIO(), err) == 2
    assert "PF701" in err.getvalue()
    assert path.read_bytes() == before


def test_a_folder_is_said_to_be_one_with_the_tables_in_it(tmp_path: Path) -> None:
    # `pingfen import 评分表/` said PF511 评分表应为 .xlsx, .docx 文件, as if a file of another
    # kind, where eval says 是一个目录而不是文件; it says so now, naming the tables to give.
    folder = tmp_path / "评分表"
    folder.mkdir()
    for name in ("2022.xlsx", "2021.docx", "~$2022.xlsx", "说明.txt"):  # ~$: Excel's lock file, no table
        (folder / name).write_bytes(b"x")
    for named in (str(folder), f"{folder}/"):
        err = io.StringIO()
        assert main(["import", named], io.StringIO(), err) == 2
        assert err.getvalue().splitlines() == [
            f"错误[PF508]: 无法读取 `{folder}`：是一个目录而不是文件",
            f"  = 帮助: `{folder}` 中的评分表：2021.docx、2022.xlsx；请指定其中一个文件：pingfen import {folder}/文件名",
        ]
    err = io.StringIO()
    assert main(["--lang", "en", "import", str(folder)], io.StringIO(), err) == 2
    assert f"help: the tables in `{folder}`: 2021.docx, 2022.xlsx; give one of them" in err.getvalue()
    empty = tmp_path / "空"
    empty.mkdir()
    err = io.StringIO()
    assert main(["import", str(empty)], io.StringIO(), err) == 2
    assert err.getvalue().strip() == f"错误[PF508]: 无法读取 `{empty}`：是一个目录而不是文件"


def test_the_folder_pingfen_runs_in_is_named_as_pf010_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `pingfen import .` said `.` 中的评分表 … pingfen import ./文件名, where PF010 (one listing,
    # loader.files_listed) says 当前文件夹 for the folder pingfen runs in.
    (tmp_path / "2022.xlsx").write_bytes(b"x")
    (tmp_path / "2022.RULE").write_bytes(b"x")  # not a table: not listed
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    assert main(["import", "."], io.StringIO(), err) == 2
    assert err.getvalue().splitlines()[1] == "  = 帮助: 当前文件夹中的评分表：2022.xlsx；请指定其中一个文件：pingfen import 文件名"
    err = io.StringIO()
    assert main(["--lang", "en", "import", "."], io.StringIO(), err) == 2
    assert err.getvalue().splitlines()[1] == "  = help: the tables in this folder: 2022.xlsx; give one of them: pingfen import NAME"


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_unreadable_tables_are_pf508_not_a_traceback(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bad.{suffix}"
    path.write_bytes(b"not a zip")
    with pytest.raises(DataError) as caught:
        import_table(path)
    assert caught.value.code == "PF508"
    err = io.StringIO()
    assert main(["import", str(path)], io.StringIO(), err) == 2
    assert err.getvalue().strip() == f"错误[PF508]: 无法读取 `{path}`：不是 .{suffix} 文件（应为 zip 压缩包）：是否为改了扩展名的旧格式文件？"


@pytest.mark.parametrize(
    ("parts", "why"),
    [
        ({"a.txt": "hello"}, "压缩包中没有 Word 文档内容"),  # was "(KeyError)"
        ({"[Content_Types].xml": "<Types"}, "其中的 XML 已损坏"),  # was "(XMLSyntaxError)"
    ],
)
def test_a_zip_that_is_no_word_document_says_why(tmp_path: Path, parts: dict[str, str], why: str) -> None:
    path = tmp_path / "表.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    err = io.StringIO()
    assert main(["import", str(path)], io.StringIO(), err) == 2
    assert err.getvalue().strip() == f"错误[PF508]: 无法读取 `{path}`：不是可读取的 .docx 文档（{why}）"


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_a_zip_bomb_is_refused_before_unpacking(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bomb.{suffix}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml" if suffix == "docx" else "xl/workbook.xml", b"\0" * (MAX_TABLE_BYTES + 1))
    with pytest.raises(DataError) as caught:
        import_table(path)
    assert "MB" in caught.value.render("en")


def test_a_table_without_rubric_headers_is_pf508(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "电话"])
    book.save(tmp_path / "t.xlsx")
    with pytest.raises(DataError) as caught:
        import_table(tmp_path / "t.xlsx")
    assert "评分表" in caught.value.render("zh")


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_table_render_wrote_in_english_says_so(tmp_path: Path, fmt: str) -> None:
    """`render --lang en`'s table was refused as "no rubric table" (找不到评分表), though pingfen
    wrote it: the reader knows the Chinese header only, and now says what to do."""
    from pingfen.render import render_table

    path = tmp_path / f"rubric.{fmt}"
    render_table(pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule"), fmt, path, lang="en")
    err = io.StringIO()
    assert main(["import", str(path)], io.StringIO(), err) == 2
    assert f"错误[PF508]: 无法读取 `{path}`：表格为英文（`pingfen render --lang en` 所写）" in err.getvalue()
    assert "请不加 --lang en 重新生成" in err.getvalue() and "找不到评分表" not in err.getvalue()
    with pytest.raises(DataError) as caught:
        import_table(path)
    assert "render it again without --lang en" in caught.value.render("en")


def test_another_format_is_a_usage_error(tmp_path: Path) -> None:
    err = io.StringIO()
    (tmp_path / "t.csv").write_text("a,b\n", "utf-8")
    assert main(["import", str(tmp_path / "t.csv")], io.StringIO(), err) == 2
    assert ".xlsx" in err.getvalue()


def test_a_table_of_another_kind_is_pf511(tmp_path: Path) -> None:
    """It was a bare message with no code (`pingfen import: 无法导入 …`)."""
    path = tmp_path / "评分表.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path)], out, err) == 2
    assert "错误[PF511]" in err.getvalue() and ".xlsx, .docx" in err.getvalue()
