"""A batch's results as an XLSX workbook of one sheet, its XML written straight into the zip.

openpyxl's cell writer was most of the time `pingfen eval … -o OUT.xlsx` took: a cell object,
a style lookup and an XML element per cell. A results sheet needs none of that: numbers,
text, blank cells, a bold header, the first row and column frozen, and Excel's quote prefix
on text that a spreadsheet would take for a formula (`write.formula_like`, handed in by
`write.write_results`, which also makes the file atomically). Each row is
written as text as it comes, so memory stays flat however many rows there are.

What a reader gets back is what openpyxl's writer gave: a number written as openpyxl writes
it (`%.16g`: Excel holds doubles; the CSV and JSON outputs keep every digit), text as an
inline string, the same styles. Text keeps every character: those XML 1.0 cannot hold
(controls, lone surrogates) are written as Excel's `_xHHHH_` escapes, and a literal
`_xHHHH_` in the text has its underscore escaped so that it reads back as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

from pingfen.lang import Lang

# A batch row, as `write.Line`: id, scores, total, grade, error.
Line = tuple[str | None, Sequence[Decimal | str | None], Decimal | None, str | None, str | None]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_FILES = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
        '<sheets><sheet name="results" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    ),
    # Cell styles by index: 0 plain, 1 bold (the header), 2 quote prefix, 3 bold with quote prefix;
    # 4 + k a number shown with k decimals (0 to 6), as a total is rounded: 87.00, never 87.
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="5"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="0.000"/>'
        '<numFmt numFmtId="166" formatCode="0.0000"/><numFmt numFmtId="167" formatCode="0.00000"/>'
        '<numFmt numFmtId="168" formatCode="0.000000"/></numFmts><fonts count="2">'
        '<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
        '<font><b val="1"/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
        '<scheme val="minor"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="11"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
        + "".join(f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                  for n in (1, 164, 2, 165, 166, 167, 168))  # fmt: skip
        + "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}
_SHEET_START = (
    f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>'
    '<selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
_FLUSH = 256  # rows gathered before a write into the zip

# What text needs written otherwise: XML's markup characters, what XML 1.0 cannot hold, a
# carriage return (a parser reads it as a newline), and a literal escape Excel would decode.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", "_": "_x005F_"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char) or f"_x{ord(char):04X}_"


def text_xml(value: str) -> str:
    """Text as the content of an XML element, every character kept (see the module's note)."""
    return _SPECIAL.sub(_escaped, value) if _SPECIAL.search(value) else value


def column_letters(index: int) -> str:
    """A column's letters from its index counted from 0: A, …, Z, AA, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, value: str, style: int, formula_like: Callable[[str], bool]) -> str:
    if formula_like(value):
        style += 2
    space = ' xml:space="preserve"' if value != value.strip() else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text_xml(value)}</t></is></c>'


def _number(value: Decimal) -> str:
    """What openpyxl writes for a number, `"%.16g" % value`: the nearest double to 16 digits
    (1.4 µs). A batch's scores are few: kept by their text (a fresh Decimal's hash costs as
    much as the formatting; `str` tells every sign, digit and exponent apart), bounded."""
    key = str(value)
    text = _NUMBERS.get(key)
    if text is None:
        text = "%.16g" % value  # noqa: UP031 - openpyxl's formatting, as it is
        if text in ("inf", "-inf", "nan", "-nan"):
            text = ""
        if len(_NUMBERS) >= 4096:
            _NUMBERS.clear()
        _NUMBERS[key] = text
    return text


_NUMBERS: dict[str, str] = {}


def _places_style(total: Decimal) -> str:
    """The style of a total's cell: shown with the places it was rounded to (4 + k)."""
    exponent = total.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f' s="{4 + min(places, 6)}"'


def _row(
    number: int, refs: Sequence[str], cells: Sequence[Decimal | str | None], formula_like: Callable[[str], bool]
) -> str:
    out = [f'<row r="{number}">']
    n = str(number)
    total_at = len(cells) - 3  # id, the scores, then total, grade, error
    for at, (ref, value) in enumerate(zip(refs, cells, strict=True)):
        if at == total_at and isinstance(value, Decimal):
            out.append(f'<c r="{ref}{n}"{_places_style(value)} t="n"><v>{_NUMBERS.get(str(value)) or _number(value)}</v></c>')
            continue
        if value is None:
            continue
        if isinstance(value, str):  # (a Decimal compared with "" asks the numbers ABCs: slow)
            if value:
                out.append(_text_cell(ref + n, value, 0, formula_like))
        else:
            text = _NUMBERS.get(str(value)) or _number(value)  # the cache's hit inline
            out.append(f'<c r="{ref}{n}" t="n"><v>{text}</v></c>')
    out.append("</row>")
    return "".join(out)


SHEET = "xl/worksheets/sheet1.xml"  # the member `sheet_xml` is written to; PARTS are the others
PARTS = {name: _HEAD + body for name, body in _FILES.items()}
SHEET_NAMES = {"zh": "评分结果", "en": "results"}


def parts(lang: Lang) -> dict[str, str]:
    """PARTS, the sheet named in `lang` (评分结果 for a reader of 中文, as the headers are)."""
    if lang == "en":
        return PARTS
    named = f'<sheet name="{SHEET_NAMES[lang]}" '
    return {name: text.replace('<sheet name="results" ', named) for name, text in PARTS.items()}


def sheet_xml(lines: Iterable[Line], header: Sequence[str], formula_like: Callable[[str], bool]) -> Iterator[bytes]:
    """The sheet of a batch's rows under `header` (bold, frozen with the first column), in
    UTF-8 chunks of a few hundred rows each, as the rows come. Text for which
    `formula_like` holds gets the quote prefix. `write.write_results` writes the chunks into
    the workbook's zip, with PARTS, atomically."""
    refs = [column_letters(i) for i in range(len(header))]
    heads = "".join(
        _text_cell(f"{ref}1", name, 1, formula_like) for ref, name in zip(refs, header, strict=True) if name
    )
    chunk = [_HEAD, _SHEET_START, f'<row r="1">{heads}</row>']
    number = 1
    for row_id, scores, total, grade, error in lines:
        number += 1
        chunk.append(_row(number, refs, [row_id, *scores, total, grade, error], formula_like))
        if len(chunk) >= _FLUSH:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    chunk.append(_SHEET_END)
    yield "".join(chunk).encode("utf-8")
