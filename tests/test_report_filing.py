"""Reports fit for filing (issue 12, item 5): year, unit, evaluation date and signature lines
in every format; 宋体/仿宋 with fallbacks; A4 with the header row repeated; DOCX; PDF through
Chromium; and a folder of reports with the summary workbook."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import struct
import subprocess
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from data_helpers import ROOT, RUBRIC
from pingfen.batchreport import MAX_NAME_BYTES, file_name, ranks, report_folder
from pingfen.cli import main
from pingfen.errors import OutputError
from pingfen.io import read_record
from pingfen.report import Filing, write_report
from pingfen.report.filing import date_text, parse_date
from pingfen.report.html import render_html
from pingfen.report.markdown import render_markdown
from real_parts import real_part

RULES = ROOT / "rulesets" / "dept-overall-2021.rule"
SEED = ROOT / "examples" / "dept-overall-2021" / "seed-2021.yaml"
RESULT = RUBRIC.evaluate(read_record(SEED), lang="zh")
FILING = Filing(year=2021, unit="区厂协", date=datetime.date(2026, 11, 30))
SIGNS = ("评价单位（盖章）", "填报人", "审核人", "日期")

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
needs_chromium = real_part("Chromium", CHROMIUM is not None, "apt-get install -y chromium")
CJK_FONTS = shutil.which("fc-list") is not None and bool(
    subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout.strip()
)
needs_cjk_fonts = real_part("CJK fonts", CJK_FONTS, "apt-get install -y fonts-noto-cjk")


# ---------------------------------------------------------------- the small parts


def test_dates() -> None:
    day = datetime.date(2026, 11, 30)
    assert date_text(day, "zh") == "2026年11月30日" and date_text(day, "en") == "2026-11-30"
    for text in ("2026-11-30", "2026/11/30", "2026.11.30", "2026年11月30日", " 2026 年 11 月 30 日 "):
        assert parse_date(text) == day, text
    for text in ("2026-02-30", "30/11/2026", "明天", "2026-11"):
        assert parse_date(text) is None, text


def test_ranks_share_ties() -> None:
    assert ranks([Decimal(80), Decimal(90), Decimal(80), Decimal(70)]) == [2, 1, 2, 4]
    assert ranks([]) == []


def test_file_names_are_safe_and_unique() -> None:
    used = {"汇总.xlsx"}
    assert file_name("区厂协", "docx", used) == "区厂协.docx"
    assert file_name("区厂协", "docx", used) == "区厂协-2.docx"
    assert file_name("区厂协", "DOCX", used) == "区厂协-3.DOCX"  # a case-blind file system sees one name
    assert file_name("../../etc/passwd", "docx", used) == "_.._etc_passwd.docx"
    assert file_name("..", "docx", used, fallback="row-3") == "row-3.docx"
    assert file_name(".hidden", "docx", used) == "hidden.docx"
    assert file_name("a\\b:c\x1b\u202e", "docx", used) == "a_b_c__.docx"
    assert file_name("CON", "docx", used) == "_CON.docx"
    assert file_name("汇总", "xlsx", used) == "汇总-2.xlsx"
    long = file_name("长" * 200, "docx", used)
    assert len(long.removesuffix(".docx").encode("utf-8")) <= MAX_NAME_BYTES and long.startswith("长")


# ---------------------------------------------------------------- each format carries the filing


def test_markdown_carries_the_filing() -> None:
    text = render_markdown(RESULT, "zh", department="id-1", filing=FILING)
    assert text.startswith("# 部门整体支出绩效评价评分表\n\n单位：区厂协\n\n年度：2021年度\n\n评价日期：2026年11月30日\n")
    last = text.rstrip().splitlines()[-1]
    assert all(f"{s}：" in last for s in SIGNS) and "id-1" not in text
    english = render_markdown(RESULT, "en", filing=FILING)
    assert "year: 2021" in english and "evaluated on: 2026-11-30" in english and "Prepared by: " in english
    assert "评价日期" not in render_markdown(RESULT, "zh", department="x")  # no filing: as before


def test_html_carries_the_filing_and_prints_on_a4() -> None:
    html = render_html(RESULT, "zh", filing=FILING)
    assert "<p>单位：区厂协</p><p>年度：2021年度</p><p>评价日期：2026年11月30日</p>" in html
    signatures = re.search(r'<div class="signatures">(.*?)</div>', html)
    assert signatures is not None and all(f"<span>{s}：" in signatures.group(1) for s in SIGNS)
    assert "<title>部门整体支出绩效评价评分表 — 区厂协</title>" in html
    body = re.search(r"body \{ font-family: ([^;]+);", html)
    table = re.search(r"table \{[^}]*font-family: ([^;]+);", html)
    assert body is not None and body.group(1).startswith('"FangSong", "仿宋"') and "Noto Sans CJK SC" in body.group(1)
    assert table is not None and table.group(1).startswith('"SimSun", "宋体"') and "Noto Serif CJK SC" in table.group(1)
    assert "@page { size: A4;" in html and "thead { display: table-header-group; }" in html
    assert "<thead><tr><th>一级指标</th>" in html


def test_xlsx_carries_the_filing_and_prints_on_a4(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_report(RESULT, "xlsx", path, lang="zh", filing=FILING)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[:4]] == ["部门整体支出绩效评价评分表", "单位：区厂协", "年度：2021年度", "评价日期：2026年11月30日"]
    assert rows[4][:3] == ("一级指标", "二级指标", "三级指标")
    assert rows[-2][0] == "评价单位（盖章）：＿＿＿＿＿＿＿＿" and rows[-2][3] == "填报人：＿＿＿＿＿＿＿＿"
    assert rows[-1][0] == "审核人：＿＿＿＿＿＿＿＿" and rows[-1][3].startswith("日期：")
    assert sheet.print_title_rows == "$5:$5"  # the header row on every page
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1  # 9: A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert len(cells) > 100 and {c.font.name for c in cells} == {"宋体"}


def test_docx_report(tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    path = tmp_path / "r.docx"
    write_report(RESULT, "docx", path, lang="zh", filing=FILING)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["部门整体支出绩效评价评分表", "单位：区厂协", "年度：2021年度", "评价日期：2026年11月30日"]
    assert texts[-2] == "评价单位（盖章）：＿＿＿＿＿＿＿＿　　填报人：＿＿＿＿＿＿＿＿"
    assert texts[-1].startswith("审核人：＿＿＿＿＿＿＿＿　　日期：")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分原因"]
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    assert len(table.rows) == 1 + 25 + 2
    first = table.rows[1].cells
    assert [c.text for c in first[:5]] == ["投入（分值 15，得分 10）", "预算配置（分值 15，得分 10）", "财政供养人员控制率", "5", "0"]
    assert first[5].text.startswith("在职人员控制率 116.67%")
    assert table.rows[3].cells[0].text == "投入（分值 15，得分 10）"  # merged down over the group's rows
    assert table.rows[4].cells[0].text == "过程（分值 40，得分 36）"
    assert [table.rows[-2].cells[i].text for i in (0, 3, 4)] == ["总分", "100", "87.00"]
    assert [table.rows[-1].cells[i].text for i in (0, 3)] == ["评价等次", "良好"]
    fonts = {f.get(qn("w:eastAsia")) for f in document.element.body.iter(qn("w:rFonts"))}
    assert fonts == {"宋体", "仿宋"}  # every run names its East-Asian font


def test_docx_keeps_control_characters_as_escapes(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "r.docx"
    write_report(RESULT, "docx", path, lang="zh", filing=Filing(unit="a\x1bb"))
    assert docx.Document(str(path)).paragraphs[1].text == "单位：a\\x1bb"


def test_xlsx_keeps_control_characters_as_escapes_as_docx_does(tmp_path: Path) -> None:
    # `pingfen report … --unit $'u\x01' -o r.xlsx` (or a CSV id holding one) was an internal error:
    # openpyxl's IllegalCharacterError, where DOCX and the summary workbook write the escape
    for filing, department in ((Filing(unit="a\x1bb"), None), (None, "a\x01b")):
        path = tmp_path / "r.xlsx"
        write_report(RESULT, "xlsx", path, lang="zh", department=department, filing=filing)
        said = openpyxl.load_workbook(path).active["A2"].value
        assert said == ("单位：a\\x1bb" if filing else "单位：a\\x01b")


def test_cli_report_options(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["report", "--year", "2021年度", "--date", "2026年11月30日", str(RULES), str(SEED)], out, err)
    assert code == 0 and "年度：2021年度\n\n评价日期：2026年11月30日" in out.getvalue()
    out = io.StringIO()
    assert main(["report", "--unit", "示范单位", str(RULES), str(SEED)], out, err) == 0
    today = datetime.date.today()
    assert f"单位：示范单位\n\n评价日期：{today.year}年{today.month}月{today.day}日" in out.getvalue()
    for bad in (["--year", "21"], ["--date", "2026-13-01"], ["--year", "0000"], ["--year", "9999"]):  # 0000 filed "0年度"
        err = io.StringIO()
        assert main(["report", *bad, str(RULES), str(SEED)], io.StringIO(), err) == 2
        assert bad[0] in err.getvalue() and "Traceback" not in err.getvalue()
    assert "不是可归档报告的年度" in err.getvalue()
    err = io.StringIO()
    assert main(["report", "--format", "docx", str(RULES), str(SEED)], io.StringIO(), err) == 2
    assert "-o 文件名.docx" in err.getvalue()
    path = tmp_path / "r.docx"
    assert main(["report", str(RULES), str(SEED), "-o", str(path)], io.StringIO(), io.StringIO()) == 0
    assert path.read_bytes()[:2] == b"PK"


# ---------------------------------------------------------------- PDF through Chromium


def _pdf_font_names(data: bytes) -> set[str]:
    """The FontName of every font a PDF embeds (Chromium writes them in compressed streams)."""
    found = set(re.findall(rb"/FontName\s*/([^\s/<>\[\]]+)", data))
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found |= set(re.findall(rb"/FontName\s*/([^\s/<>\[\]]+)", zlib.decompress(stream.group(1))))
        except zlib.error:
            continue
    return {name.decode("latin-1") for name in found}


@needs_chromium
@needs_cjk_fonts
def test_pdf_report(tmp_path: Path) -> None:
    path = tmp_path / "区厂协.pdf"
    code = main(["report", "--year", "2021", "--unit", "区厂协", str(RULES), str(SEED), "-o", str(path)],
                io.StringIO(), io.StringIO())  # fmt: skip
    assert code == 0
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert any("CJK" in name for name in _pdf_font_names(data)), _pdf_font_names(data)
    # the document's title is the page's: the rubric and the unit's name, in UTF-16
    assert "部门整体支出绩效评价评分表 — 区厂协".encode("utf-16-be").hex().upper().encode() in data
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_pdf_without_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINGFEN_CHROMIUM", str(tmp_path / "no-such-browser"))
    path = tmp_path / "r.pdf"
    err = io.StringIO()
    assert main(["--lang", "en", "report", str(RULES), str(SEED), "-o", str(path)], io.StringIO(), err) == 2
    assert "error[PF710]" in err.getvalue() and "Chromium was not found" in err.getvalue()
    assert not path.exists()
    folder = tmp_path / "out"
    assert main(["report", str(RULES), str(SEED), "--format", "pdf", "-o", f"{folder}/"], io.StringIO(), err) == 2
    assert not folder.exists()  # refused before anything was made


def test_pdf_when_chromium_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken-chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PINGFEN_CHROMIUM", str(broken))
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-old")
    err = io.StringIO()
    assert main(["--lang", "en", "report", str(RULES), str(SEED), "-o", str(path)], io.StringIO(), err) == 2
    assert "error[PF711]" in err.getvalue() and "cannot open display" in err.getvalue()
    assert path.read_bytes() == b"%PDF-old"  # the old file stays as it was
    # one that says nothing: pingfen's own words, in Chinese too (it said `exit code 3` in both)
    broken.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    for lang, said in (("zh", "Chromium 未能打印 PDF `{}`：它以退出码 3 结束，未写出 PDF"),
                       ("en", "Chromium could not print the PDF `{}`: it ended with exit code 3 and wrote no PDF")):  # fmt: skip
        err = io.StringIO()
        assert main(["--lang", lang, "report", str(RULES), str(SEED), "-o", str(path)], io.StringIO(), err) == 2
        assert said.format(path) in err.getvalue(), err.getvalue()
    assert path.read_bytes() == b"%PDF-old"


# ---------------------------------------------------------------- the HTML in a real browser, with CJK fonts


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit, non-interlaced RGB(A) PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    data = b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        data += body if kind == b"IDAT" else b""
        chunks.setdefault(kind, body)
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 4 if colour == 6 else 3
    raw, rows, previous = zlib.decompress(data), [], bytearray(width * step)
    for y in range(height):
        start = y * (width * step + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + width * step])
        for i in range(len(line)):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                near = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
                line[i] = (line[i] + near) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def _screenshot(page: Path, shot: Path, profile: Path, env: dict[str, str] | None = None) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars", "--window-size=1000,700",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert shot.exists()


@needs_chromium
@needs_cjk_fonts
def test_html_report_shows_its_chinese_characters(tmp_path: Path) -> None:
    """The report rendered with the machine's fonts against the same page with only a Latin font
    available (fontconfig limited to DejaVu): where CJK glyphs are drawn, the two differ a lot;
    were the characters missing (tofu boxes in both), they would hardly differ."""
    page = tmp_path / "report.html"
    write_report(RESULT, "html", page, lang="zh", filing=FILING)
    _screenshot(page, tmp_path / "cjk.png", tmp_path / "p1")
    latin = tmp_path / "fonts.conf"
    latin.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                     "<dir>/usr/share/fonts/truetype/dejavu</dir>"
                     f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")  # fmt: skip
    _screenshot(page, tmp_path / "latin.png", tmp_path / "p2", dict(os.environ, FONTCONFIG_FILE=str(latin)))
    width, height, cjk = _pixels((tmp_path / "cjk.png").read_bytes())
    _, _, plain = _pixels((tmp_path / "latin.png").read_bytes())
    step = len(cjk[0]) // width
    inked = sum(any(v < 128 for v in row[i : i + 3]) for row in cjk for i in range(0, len(row), step))
    assert inked > 0.01 * width * height  # not a blank page
    differing = sum(a[i : i + 3] != b[i : i + 3] for a, b in zip(cjk, plain, strict=True) for i in range(0, len(a), step))
    assert differing > 0.03 * width * height, differing / (width * height)


# ---------------------------------------------------------------- a folder of reports


def _departments(tmp_path: Path) -> Path:
    """Four rows: two identical units (a tie), one that scores full marks, one with bad data."""
    names = [s.name for s in RUBRIC.inputs]
    seed = read_record(SEED)
    full = read_record(ROOT / "examples" / "dept-overall-2021" / "full-marks.json")
    line = lambda r: ",".join(str(r[n]) for n in names)  # noqa: E731
    bad = dict(seed, 编制人数=0)
    data = tmp_path / "departments.csv"
    data.write_text("id," + ",".join(names) + f"\n甲,{line(seed)}\n../乙,{line(full)}\n丙,{line(seed)}\n丁,{line(bad)}\n",
                    encoding="utf-8")  # fmt: skip
    return data


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_report_folder(tmp_path: Path) -> None:
    data = _departments(tmp_path)
    folder = tmp_path / "报告"
    bar = _Terminal()
    written = report_folder(RUBRIC, data, folder, "docx", lang="zh", filing=FILING, progress=bar)
    assert sorted(p.name for p in folder.iterdir()) == sorted(["甲.docx", "_乙.docx", "丙.docx", "汇总.xlsx"])
    assert written.reports == 3 and written.summary.failures == 1 and not written.summary.ok
    assert "\r" in bar.getvalue() and "4/4" in bar.getvalue()

    import docx

    first = docx.Document(str(folder / "_乙.docx")).paragraphs
    assert [p.text for p in first[1:4]] == ["单位：../乙", "年度：2021年度", "评价日期：2026年11月30日"]

    book = openpyxl.load_workbook(folder / "汇总.xlsx")
    sheet = book["汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2021年度部门整体支出绩效评价评分表汇总"
    tops = [f"{t.name}（{t.max}分）" for t in RUBRIC.tree]
    assert rows[1] == ("排名", "单位", "总分", "评价等次", *tops, "报告文件", "错误")
    seed_tops = tuple(int(c.score) if c.score == int(c.score) else float(c.score) for c in RESULT.children)
    assert rows[2][:4] == (1, "../乙", 100, "优秀") and rows[2][-2:] == ("_乙.docx", None)
    assert rows[3][:4] == (2, "甲", 87, "良好") and rows[3][4:8] == seed_tops
    assert rows[4][:4] == (2, "丙", 87, "良好")  # a tie shares the rank
    assert rows[5][:4] == (None, "丁", None, None) and rows[5][-2] is None and "PF503" in rows[5][-1]
    grades = book["等次分布"]
    counts = {r[0]: r[1] for r in grades.iter_rows(values_only=True) if r and r[0]}
    assert counts["优秀"] == 1 and counts["良好"] == 2 and counts["未评分"] == 1
    assert len(grades._charts) == 1 and type(grades._charts[0]).__name__ == "BarChart"


def test_report_folder_from_the_command_line(tmp_path: Path) -> None:
    data = _departments(tmp_path)
    folder = tmp_path / "out"
    err = io.StringIO()
    code = main(["report", "--year", "2021", "--format", "md", str(RULES), str(data), "-o", f"{folder}/"],
                io.StringIO(), err)  # fmt: skip
    assert code == 1  # a row could not be scored
    assert "第 5 行 [丁]" in err.getvalue() and "4 行中有 1 行无法评分" in err.getvalue()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["甲.md", "_乙.md", "丙.md", "汇总.xlsx"])
    assert "单位：甲" in (folder / "甲.md").read_text(encoding="utf-8")
    assert err.getvalue().splitlines()[-1] == f"已写入 3 份报告和 {folder / '汇总.xlsx'}"
    err = io.StringIO()
    assert main(["report", "--id", "甲", str(RULES), str(data), "-o", str(folder)], io.StringIO(), err) == 2
    assert "--id" in err.getvalue()
    one = tmp_path / "one.csv"  # English counts one report alone in the singular ("wrote 1 reports")
    one.write_text(data.read_text(encoding="utf-8").splitlines()[0] + "\n" + data.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["--lang", "en", "report", "--format", "md", str(RULES), str(one), "-o", f"{tmp_path / 'en'}/"], io.StringIO(), err) == 0
    assert err.getvalue().splitlines()[-1] == f"wrote 1 report and {tmp_path / 'en' / 'summary.xlsx'}"


def test_report_folder_never_writes_over_its_data(tmp_path: Path) -> None:
    """The data sits in the output folder under the name a report would take: the report gets
    another name. Under the summary's name: refused (PF701) before anything is written."""
    names = [s.name for s in RUBRIC.inputs]
    seed = read_record(SEED)
    folder = tmp_path / "reports"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active.append(["id", *names])
    book.active.append(["甲", *(str(seed[n]) for n in names)])
    data = folder / "甲.xlsx"
    book.save(data)
    before = data.read_bytes()
    report_folder(RUBRIC, data, folder, "xlsx", lang="zh")
    assert sorted(p.name for p in folder.iterdir()) == ["汇总.xlsx", "甲-2.xlsx", "甲.xlsx"]
    assert data.read_bytes() == before
    summary = folder / "汇总.xlsx"
    summary.unlink()
    os.link(data, summary)  # the summary's name is the data, by a hard link
    with pytest.raises(OutputError) as refused:
        report_folder(RUBRIC, data, folder, "xlsx", lang="zh")
    assert refused.value.code == "PF701" and data.read_bytes() == before


def test_an_id_that_leaves_no_file_name_is_named_by_its_row_in_the_readers_language(tmp_path: Path) -> None:
    """An id `..` gave `row-2.docx` in a Chinese folder of reports."""
    lines = (ROOT / "examples" / "dept-overall-2021" / "departments.csv").read_text(encoding="utf-8-sig").splitlines()
    head, first = lines[0], lines[1]
    data = tmp_path / "data.csv"
    data.write_text(head + "\n.." + first[first.index(","):] + "\n", encoding="utf-8")
    for lang, name in (("zh", "第 2 行.md"), ("en", "row-2.md")):
        folder = tmp_path / lang
        report_folder(RUBRIC, data, folder, "md", lang=lang)  # type: ignore[arg-type]
        assert name in [p.name for p in folder.iterdir()]
