"""The command line's words in 中文: the help of every command and option, and argparse's own.

`cli.py` writes each help text in English and passes it through `translator(lang)`;
argparse's words ("usage:", "error:", "the following arguments are required") are put in
the language by `speaking(lang)`, which swaps argparse's gettext for the run. This module
imports only argparse, so `pingfen --help` stays quick (tests/test_user_lang.py checks
that every help text has its Chinese).
"""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import TracebackType

    from pingfen.lang import Lang

_DESCRIPTION = {
    "en": """\
pingfen (评分): check scoring rubrics written as .rule files, and score departments by them.

examples:
  pingfen check rulesets/dept-overall-2021.rule
  pingfen eval rulesets/dept-overall-2021.rule examples/dept-overall-2021/seed-2021.yaml
  pingfen eval --format json --lang en RULESET DATA.json
  pingfen template RULESET -o 填报.xlsx
  pingfen eval RULESET 填报.xlsx -o 结果.xlsx
  pingfen report RULESET DATA.yaml -o 报告.html
  pingfen report --year 2021 RULESET departments.xlsx -o 报告/
  pingfen audit RULESET examples/seed-2021-self-evaluation.yaml
  pingfen diff OLD.rule NEW.rule --replay DATA.xlsx
  pingfen serve rulesets/          # the workbench: a web page to write, check and try rubrics
""",
    "zh": """\
pingfen（评分）：检查以 .rule 文件写成的评分表，并按评分表为各单位评分。

示例：
  pingfen check rulesets/dept-overall-2021.rule
  pingfen eval rulesets/dept-overall-2021.rule examples/dept-overall-2021/seed-2021.yaml
  pingfen eval --format json RULESET 数据.json
  pingfen template RULESET -o 填报.xlsx
  pingfen eval RULESET 填报.xlsx -o 结果.xlsx
  pingfen report RULESET 数据.yaml -o 报告.html
  pingfen report --year 2021 RULESET 各单位.xlsx -o 报告/
  pingfen audit RULESET examples/seed-2021-self-evaluation.yaml
  pingfen diff 原版.rule 新版.rule --replay 数据.xlsx
  pingfen serve 评分表/            # 评分工作台：在网页中编写、检查和试用评分表
  pingfen --lang en --help         # English
""",
}

# Each help text of cli.py (English, as written there) → its Chinese. Argument help is
# %-formatted by argparse: a percent sign is written %%.
HELP_ZH: dict[str, str] = {
    "open the workbench: a web page to write, check and try rubrics": "打开评分工作台：在网页中编写、检查和试用评分表",
    "Open the workbench in the browser: a local web page over the .rule and data files of FOLDER (default: the "
    "current one). Edit a rule file with live diagnostics and save it; see the official table, a form that scores "
    "as you type, the examples, coverage and fuzz; upload a CSV/XLSX batch and download the results, the reports "
    "and a data-entry template. It listens on 127.0.0.1 only, on a free port, and every request needs the random "
    "token in the printed address; nothing outside FOLDER is read or written. Stop it with Ctrl-C. Needs the serve "
    "extra (pip install 'pingfen[serve]').": "在浏览器中打开评分工作台：一个本机网页，管理 FOLDER（默认为当前文件夹）中的 "
    ".rule 文件和数据文件。编辑评分表文件，边写边检查并可保存；查看正式评分表、边填边评分的表单、示例、覆盖率和随机检验；"
    "上传 CSV/XLSX 批量数据，下载评分结果、评价报告和数据填报模板。只在 127.0.0.1 上的空闲端口监听，每个请求都须带所显示"
    "地址中的随机令牌；FOLDER 以外的文件一概不读不写。按 Ctrl-C 停止。需要 serve 附加组件（pip install 'pingfen[serve]'）。",
    "the folder to serve (default: the current one)": "工作台所管理的文件夹（默认：当前文件夹）",
    "a port is a whole number from 1 to 65535 (0: a free one)": "端口须为 1 到 65535 之间的整数（0 表示任选一个空闲端口）",
    "the port (default: a free one)": "端口（默认：任一空闲端口）",
    "print the address but do not open the browser": "只显示地址，不打开浏览器",
    "the address to listen on (default: 127.0.0.1)": "监听的地址（默认：127.0.0.1）",
    "allow a --host other machines can reach (a warning is printed: whoever has the address can change the "
    "files)": "允许使用其他计算机可访问的 --host（会显示警告：任何得到地址的人都能修改文件）",
    "language of messages, reasons, tables and help (default: 中文, unless PINGFEN_LANG or the locale, "
    "LC_ALL/LC_MESSAGES/LANG, starts with en)": "消息、扣分原因、表格和帮助的语言（默认中文；PINGFEN_LANG 或 "
    "LC_ALL/LC_MESSAGES/LANG 以 en 开头时为英文）",
    "show the version and exit": "显示版本并退出",
    "check rule files and report every problem": "检查评分表文件，列出所有问题",
    "Check .rule files: syntax, names, types and units, points and maxima, and soundness over the inputs' "
    "declared domains (band gaps and overlaps with a witness value, unreachable arms, score ranges, zero "
    "divisors, grade coverage). Prints every finding with its code, file:line:col, the source line and a "
    "hint. Exit 0 when there are no errors (with --strict: no findings at all), 1 otherwise, 2 when a file "
    "cannot be read.": "检查 .rule 文件：语法、名称、类型与单位、分值与满分，以及在各输入声明的取值范围内是否周全"
    "（分档的缺口与重叠并给出示例值、不可达的分支、得分范围、除数为零、评价等次是否全覆盖）。每个问题都给出代码、"
    "文件:行:列、源代码行和修改建议。没有错误时退出码为 0（加 --strict 时须无任何问题），否则为 1，"
    "文件无法读取时为 2。",
    "rule files to check": "要检查的评分表文件",
    "text for people (default); json, a flat list of findings; sarif, SARIF 2.1.0 for code scanning": "text："
    "供人阅读（默认）；json：问题的平铺列表；sarif：SARIF 2.1.0，供代码扫描使用",
    "fail on warnings and notes too, not only errors": "警告和提示也视为未通过，而不只是错误",
    "encoding of a CSV file (default: sniffed; UTF-8 with or without BOM, else GBK/GB18030)": "CSV 文件的编码"
    "（默认自动识别：带或不带 BOM 的 UTF-8，否则为 GBK/GB18030）",
    "the column that names each row (default: `id`, else `编号`, if there is one)": "标明每行单位的列（默认：`id` 列，否则 `编号` 列，如有）",
    "processes that score a large CSV file written as CSV (default: the CPUs not busy with other work, within a container's CPU quota, at most 4; "
    "1: no worker processes; never more than the CPUs, or 4); the output is the same, in the same order":
        "评分大型 CSV 文件（输出为 CSV）的进程数（默认：未被其他任务占用的 CPU 数，不超过容器的 CPU 配额，至多 4；1：不用子进程；"
        "不超过 CPU 数或 4 中的较大者）；输出相同，行序不变",
    "score one record, or a CSV/XLSX/JSON Lines file of departments": "为一条记录评分，或为 CSV/XLSX/JSON Lines "
    "文件中的各单位评分",
    "Score departments. DATA is one record (a JSON or YAML mapping of input names to values) or a batch file "
    "(.csv, .xlsx, .jsonl) with one department per row and an `id` column naming it. Percents may be ratios "
    '(0.95) or strings ("95%"); bools true/false or 是/否; empty cells are missing. A batch writes one row '
    "per department: id, one column per indicator, total, grade, error; a row with bad data gets its error "
    "and the other rows are still scored. Exit 0 on success; 1 when a batch row could not be scored; 2 when "
    "the rule file, a single record or the file itself is bad.": "为各单位评分。DATA 是一条记录（JSON 或 YAML，"
    "输入名称对应取值），或批量文件（.csv、.xlsx、.jsonl），每行一个单位，由 `id` 列标明。百分比可写成比例（0.95）"
    "或字符串（\"95%\"）；是非值写 true/false 或 是/否；空单元格视为未填。批量结果每个单位一行：编号、每个指标一列、"
    "总分、评价等次、错误；数据有误的行写明错误，其余各行照常评分。成功时退出码为 0；有批量行无法评分时为 1；"
    "评分表、单条记录或文件本身有误时为 2。",
    "the .rule file": "评分表文件（.rule）",
    "a .json/.yaml record, or a .csv/.xlsx/.jsonl batch file": "一条 .json/.yaml 记录，或 .csv/.xlsx/.jsonl "
    "批量文件",
    "one record: table (default) or json (the whole result, exact numbers); a batch: csv (default), xlsx, "
    "jsonl or json (a list of rows). Default: from -o's extension": "单条记录：table（默认）或 json（完整结果，"
    "精确数值）；批量：csv（默认）、xlsx、jsonl 或 json（各行组成的列表）。默认按 -o 的扩展名确定",
    "write here (atomically) instead of standard output": "写入此文件（原子写入），而不是标准输出",
    "write a data-entry template (XLSX, CSV or YAML) for a rubric": "为评分表生成填报模板（XLSX、CSV 或 YAML）",
    "Write a data-entry template: one column (or key) per declared input, headed by its name, with its "
    "description, type and domain as the question, and an `id` column. The XLSX template validates entries "
    "(是/否 lists, ranges for percents, counts, amounts and scores, label lists) and lists the rubric on a "
    "second sheet, with a 自评得分 column that `pingfen audit` reads. A filled template scores as it is.": "生成"
    "填报模板：每个声明的输入一列（或一个键），以其名称为表头，以其说明、类型和取值范围为填写说明，另有 `id` 列。"
    "XLSX 模板对填写内容作数据验证（是/否 下拉、百分比、个数、金额和分数的范围、标签列表），并在第二个工作表列出"
    "评分表，附 `pingfen audit` 读取的自评得分列。填好的模板可直接评分。",
    "default: from -o's extension, else yaml": "默认按 -o 的扩展名确定，否则为 yaml",
    "default: from -o's extension, else md": "默认按 -o 的扩展名确定，否则为 md",
    "write here (atomically; needed for xlsx)": "写入此文件（原子写入；xlsx 必须指定）",
    "write reports to file: one department's, or one per row and a summary": "生成归档用的评分报告：一个单位的，"
    "或每行一份并附汇总表",
    "print one SQL query that scores a table of records": "输出一条为一张记录表评分的 SQL 查询",
    "Print one SELECT that scores a relation of records (one column per input, named as the input) into one row "
    "per record: its other columns, a column per group and indicator, total, grade, reasons (each point lost, "
    "as JSON), and refusal and refusal_input for a record that cannot be scored. Exact decimals, no floats (docs/scale.md). Exit 0 when "
    "printed, 2 when the rule file has errors or a form cannot be translated exactly.": "输出一条 SELECT，"
    "为一张记录表（每个输入一列，列名即输入项名称）评分，每条记录得一行：记录的其他列、每个分组和指标一列、"
    "total、grade、reasons（以 JSON 列出每一处失分），以及无法评分的记录的 refusal 和 refusal_input。全程精确小数，不用浮点数（见 docs/scale.md）。"
    "输出成功时退出码为 0；规则文件有错误或某种写法无法精确翻译时为 2。",
    "the relation's columns to pass through (default: every one but the inputs; on postgres, none)": "原样保留的表列，逗号分隔（默认：输入项以外的每一列；postgres 上不保留）",
    "the engine's SQL: duckdb (default), spark or postgres, the engines the query is tested on": "数据库引擎的 SQL 方言：duckdb（默认）、spark 或 postgres，即查询经测试验证的引擎",
    "the relation of records (default: records)": "记录所在的表（默认：records）",
    "leave out the reasons column (faster)": "不输出 reasons 列（更快）",
    "with --engine duckdb: also write the reasons column (every point lost, as JSON)": "与 --engine duckdb 同用：同时输出 reasons 列（每一处失分，JSON 格式）",
    "python (default); duckdb: a large .parquet/.csv/.xlsx file scored by the rubric's SQL inside DuckDB, "
    "to -o FILE.parquet or FILE.csv (a CSV's or sheet's cells read as by python; Parquet's percents as ratios; see docs/scale.md)":
    "python（默认）；duckdb：大文件（.parquet/.csv/.xlsx）由评分表生成的 SQL 在 DuckDB 中评分，"
    "写入 -o 文件.parquet 或 文件.csv（CSV 和表格的单元格按 python 的方式读取；Parquet 的百分数以小数表示；见 docs/scale.md）",
    "write the rubric itself as the official table (Word, Excel, HTML or Markdown)":
    "将评分表本身生成为正式表格（Word、Excel、HTML 或 Markdown）",
    "Write the rubric as the table to publish: 一级/二级/三级指标 with merged group cells, 分值, 指标解释 and each "
    "row's 评分标准 written from its rules (thresholds, rates, step counting, caps), then the grades. Generated "
    "from the checked file, the table cannot disagree with the scoring. DOCX and XLSX print on A4 with the header "
    "row repeated; HTML is one self-contained page. Exit 0 when written, 2 when the rule file has errors or "
    "cannot be read, or the output cannot be written.": "生成用于发布的评分表：一级/二级/三级指标（分组单元格合并）、"
    "分值、指标解释，以及由规则写出的每行评分标准（阈值、扣分标准、不足一步的计法、扣完为止），最后是评价等次。"
    "表格由检查通过的规则文件生成，不会与评分不一致。DOCX 和 XLSX 按 A4 打印，每页重复表头；HTML 为单个独立页面。"
    "写入成功退出码为 0；规则文件有错误或无法读取、或输出无法写入时为 2。",
    "write here (atomically; needed for docx and xlsx)": "写入此文件（原子写入；docx 和 xlsx 格式必需）",
    "Score one department and write its report: the rubric's own table (一级/二级/三级指标, 分值, 得分, 扣分原因), "
    "the total and the grade, with the year, the unit, the evaluation date and lines to sign (评价单位（盖章）, "
    "填报人, 审核人, 日期); A4, 宋体/仿宋, the header row on every page. HTML is one self-contained, print-friendly "
    "file with a bar chart per top group; XLSX and DOCX keep annex 附件2-2's merged-cell layout; PDF is the HTML "
    "printed by Chromium. DATA is a JSON/YAML record or a batch file with one row (or pick one with --id). With "
    "-o FOLDER/ (ending in / or an existing folder): one report per row, named by its id, and 汇总.xlsx with every "
    "unit's total, grade, rank and top-group scores and a chart of the grades. Exit 0 on success; 1 when a row of "
    "a folder run could not be scored; 2 on bad data, a bad option, or no Chromium for a PDF.": "为一个单位评分并"
    "生成报告：评分表原样的表格（一级/二级/三级指标、分值、得分、扣分原因）、总分和评价等次，并有年度、单位、评价"
    "日期和签字栏（评价单位（盖章）、填报人、审核人、日期）；A4 纸，宋体/仿宋，每页重复表头。HTML 为单个自带样式、"
    "便于打印的文件，每个一级指标附条形图；XLSX 和 DOCX 保留附件2-2 的合并单元格版式；PDF 由 Chromium 打印 HTML "
    "而成。DATA 是一条 JSON/YAML 记录，或只有一行的批量文件（多行时用 --id 选出一行）。-o 为文件夹（以 / 结尾或"
    "已存在的文件夹）时：每行生成一份报告，以其编号命名，另有汇总.xlsx，列出各单位的总分、评价等次、排名和各一级"
    "指标得分，并附评价等次分布图。成功时退出码为 0；文件夹模式下有行无法评分时为 1；数据有误、选项有误或生成 PDF "
    "时找不到 Chromium 时为 2。",
    "a .json/.yaml record, or a .csv/.xlsx/.jsonl file": "一条 .json/.yaml 记录，或 .csv/.xlsx/.jsonl 文件",
    "default: from -o's extension, else md (docx for a folder)": "默认按 -o 的扩展名确定，否则为 md"
    "（输出到文件夹时为 docx）",
    "write here (atomically; needed for xlsx, docx and pdf); a folder (ending in /) for one report per row": "写入"
    "此文件（原子写入；xlsx、docx 和 pdf 必须指定）；为文件夹（以 / 结尾）时每行生成一份报告",
    "the year evaluated, such as 2021": "评价的年度，如 2021",
    "the unit's name (default: the record's id)": "被评价单位的名称（默认：记录的编号）",
    "the evaluation date, such as 2026-11-30 or 2026年11月30日 (default: today)": "评价日期，如 2026-11-30 或 "
    "2026年11月30日（默认：今天）",
    "the row to report, by its id, when DATA holds several": "DATA 有多行时，按编号选出要生成报告的一行",
    "recompute a filled-in self-evaluation and list where it disagrees": "复核填好的自评表，列出不一致之处",
    "Audit a filled-in self-evaluation. FILLED is YAML/JSON with `declared:` (group and indicator names, "
    "total and grade → the declared scores) and optionally `inputs:`; or an XLSX with a declared-score column "
    "(自评得分), such as a filled template. Reports, with the numbers: scores above the max or below zero; "
    "groups and the total that are not the sum of their parts; a grade the total does not get; and, where "
    "every input an indicator reads is given, a declared score the rule does not give, with the rule's "
    "reasons. Exit 0 when all agree, 1 on any disagreement, 2 when FILLED is unreadable.": "复核填好的自评表。"
    "FILLED 是含 `declared:`（分组和指标名称、总分和评价等次 → 自评得分）并可含 `inputs:` 的 YAML/JSON 文件；"
    "或含自评得分列的 XLSX 文件，如填好的模板。列出并给出数值：超过分值或低于零的得分；不等于下级得分之和的分组"
    "得分和总分；与总分不符的评价等次；以及在指标所读输入均已填写时，与规则不符的自评得分及规则给出的原因。"
    "全部一致时退出码为 0，有不一致时为 1，FILLED 无法读取时为 2。",
    "a .yaml/.json file with `declared:`, or an .xlsx": "含 `declared:` 的 .yaml/.json 文件，或 .xlsx 文件",
    "text (default) or json": "text（默认）或 json",
    "the department's row in an XLSX data sheet with several": "XLSX 数据表有多行时，该单位所在的行",
    "score even if the rubric's only errors are soundness findings (PF4xx), as `fuzz` does, to see what they "
    "do to a record; the findings are printed first, on standard error": "即使评分表有周全性错误（PF4xx，且只有"
    "这类错误）也照常评分（与 `fuzz` 相同），以便查看这些错误对记录的影响；这些问题先输出到标准错误",
    "format rule files in the one canonical layout": "把评分表文件整理为统一的标准格式",
    "turn last year's rubric table (XLSX or DOCX) into a draft rule file": "把去年的评分表（XLSX 或 DOCX）导入为评分规则草稿",
    "Read a rubric table as staff keep it (levels of 指标 in merged cells, 分值, 评分标准) and write "
    "a draft .rule file: each 评分标准 recognised as a rule (per-point deductions, bands, labels, checklists, "
    "counted deductions, judgment), kept as a comment above it; a row that is not recognised becomes a "
    "judgment under a `# TODO` comment, which `pingfen check` lists. Prints the share of rows recognised. "
    "Exit 0 when every row is recognised, 1 when some are left as TODO, 2 when the table cannot be read.":
    "读取日常使用的评分表（合并单元格中的各级指标、分值、评分标准），写出 .rule 规则草稿：每条评分标准识别为"
    "规则（按百分点扣分、分档、选项、清单、按例扣分、评价分），原文作为注释保留在规则上方；未能识别的行写为"
    "评价分（judgment），并标注 `# TODO`，由 `pingfen check` 逐条列出。打印已识别行的比例。"
    "全部识别时退出码为 0，有行标为 TODO 时为 1，无法读取评分表时为 2。",
    "the rubric table, .xlsx or .docx": "评分表，.xlsx 或 .docx",
    "write the rule file here (atomically) instead of standard output": "写入此文件（原子写入），而不是标准输出",
    "Rewrite .rule files in the canonical layout (docs/format.md): ASCII forms, two-space indentation, "
    "aligned columns, comments kept. A .md file has its ```rule blocks formatted; `-` reads standard input "
    "and writes standard output. Exit 0 when done (with --check: when nothing would change), 1 when --check "
    "finds a file to reformat, 2 when a file cannot be read or parsed.": "按标准格式（docs/format.md）重写 .rule "
    "文件：ASCII 写法、两个空格缩进、各列对齐、保留注释。.md 文件只整理其中的 ```rule 代码块；`-` 从标准输入读取并"
    "写到标准输出。完成时退出码为 0（加 --check 时须无需改动），--check 发现需要整理的文件时为 1，文件无法读取或"
    "解析时为 2。",
    ".rule or .md files, or - for standard input": ".rule 或 .md 文件，或用 - 表示标准输入",
    "change nothing; exit 1 if a file is not formatted": "不做改动；有文件未按标准格式时退出码为 1",
    "change nothing; print what would change as a diff": "不做改动；以 diff 形式显示将要修改的内容",
    "run the examples written in rule files": "运行评分表文件中写好的示例",
    "Run every `example` of each rule file: score its record and compare with what it expects. A failure "
    "shows the example, the indicator, the expected and the actual score, and the actual reasons. --coverage "
    "reports which bands, arms, checklist items, deduction branches, clamps and grades the examples "
    "exercised. Exit 0 when every example passes (and coverage reaches --fail-under), 1 otherwise, 2 when a "
    "file cannot be read or loaded.": "运行每个评分表文件中的全部 `example`：为其记录评分，并与预期比较。未通过时"
    "显示示例、指标、预期与实际得分，以及实际的扣分原因。--coverage 报告示例覆盖了哪些分档、分支、清单项、扣分"
    "条件、上下限截断和评价等次。全部示例通过（且覆盖率达到 --fail-under）时退出码为 0，否则为 1，文件无法读取"
    "或加载时为 2。",
    "rule files": "评分表文件",
    "report the branches the examples exercised": "报告示例覆盖到的分支",
    "with --coverage: exit 1 when the total coverage is below PCT percent": "与 --coverage 同用：总覆盖率低于 "
    "PCT%% 时退出码为 1",
    "test a rubric over generated records": "用自动生成的记录测试评分表",
    "Score generated records (at and beside every threshold of the rubric, then across the declared domains) "
    "and check that none is refused or crashes, every score lies in [0, max], groups add up, the total is "
    "rounded as declared, the grade matches the total, and every `property` holds. A failure is shrunk and "
    "printed as a YAML data file that `pingfen eval` accepts, and as an `example` block to paste into the rule "
    "file. A rubric whose only errors are soundness "
    "findings (PF4xx) is fuzzed anyway, with the findings shown. Exit 0 when every check holds, 1 when one "
    "fails, 2 when the rubric cannot be loaded. Needs hypothesis (pip install pingfen[testing]).": "为自动生成"
    "的记录评分（先取评分表每个分界点及其两侧的值，再在声明的取值范围内随机取值），检查：没有记录被拒绝或出错，"
    "每个得分都在 [0, 分值] 之内，各分组得分等于下级之和，总分按声明的方式舍入，评价等次与总分相符，每个 "
    "`property` 都成立。发现的反例会被化简，并以 `pingfen eval` 可读的 YAML 数据文件输出，另附一段可粘贴到"
    "评分表里的 `example` 回归示例。只有周全性错误（PF4xx）"
    "的评分表也照常测试，并先列出这些问题。全部检查成立时退出码为 0，有检查不成立时为 1，评分表无法加载时为 2。"
    "需要 hypothesis（pip install pingfen[testing]）。",
    "records per search (default 200; each failing check starts a new search)": "每轮搜索的记录数（默认 200；"
    "每发现一项检查不成立就开始新一轮搜索）",
    "the random seed (default 0): same seed, same run": "随机种子（默认 0）：种子相同，结果相同",
    "also write each counterexample to DIR/counterexample-N.yaml": "另把每个反例写入 DIR/counterexample-N.yaml",
    "compare two versions of a rubric, and who they score differently": "比较评分表的两个版本，以及评分结果因此"
    "变化的单位",
    "Compare two versions of a rubric by meaning, not by text: rows added, removed, moved or renamed; maxima; "
    "each rule's thresholds, rates, step counting, bands and arms; inputs and their types and bounds; the total, "
    "rounding and grades. With --replay, score every record of DATA under both and list the units whose total "
    "or grade changes, with the rows that caused it, and the units one version cannot score. Exit 0 when the "
    "versions do not differ (with --replay: when no unit changes grade and both versions score the same units, "
    "at least one), 1 when they do, 2 when a file cannot be read or a rule file has errors.": "按含义而非文字比较评分表的两个版本：新增、删除、移动或更名的指标；"
    "分值；每条规则的分界、扣分标准、计步方式、分档和分支；输入项及其类型和取值范围；总分、舍入和评价等次。"
    "加 --replay 时，用两版分别为 DATA 中的每条记录评分，列出总分或等次变化的单位及引起变化的指标，以及只有"
    "一版能评分的单位。两版没有差别时退出码为 0（加 --replay 时：没有单位等次变化，且两版能评分的单位相同、至少一个），有差别时为 1，文件无法"
    "读取或评分表有错误时为 2。",
    "the earlier .rule file": "原版评分表文件（.rule）",
    "the later .rule file": "新版评分表文件（.rule）",
    "score the records of DATA (a .json/.yaml record, or a .csv/.xlsx/.jsonl batch file) under both": "用两版"
    "分别为 DATA 中的记录评分（一条 .json/.yaml 记录，或 .csv/.xlsx/.jsonl 批量文件）",
    "serve editors: the language server, over stdio": "为编辑器提供语言服务（LSP，经标准输入输出）",
    "Speak the Language Server Protocol over standard input and output, for editors (VS Code, Neovim, Emacs, …; "
    "docs/editors.md): diagnostics as one types, hover, go to definition, references, completion, formatting, "
    "the rubric tree as symbols and quick fixes. Messages are in --lang, or the client's initializationOptions "
    "{\"lang\": \"en\"}. Needs pygls (pip install pingfen[lsp]).": "经标准输入输出提供语言服务器协议（LSP），"
    "供编辑器使用（VS Code、Neovim、Emacs 等，见 docs/editors.md）：边输入边检查、悬停说明、转到定义、查找引用、"
    "补全、格式化、以评分表的指标树作为文档大纲，以及快速修复。提示语言按 --lang，或客户端 initializationOptions "
    "中的 {\"lang\": \"en\"}。需要 pygls（pip install pingfen[lsp]）。",
}

# argparse's own words (Python 3.11–3.13 message ids) → 中文. Words not listed stay English.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r 被忽略",
    "one of the arguments %s is required": "参数 %s 中须给出一个",
    "unexpected option string: %s": "意外的选项：%s",
}


def formatter(lang: Lang, raw: bool = False) -> type[argparse.HelpFormatter]:
    """The help layout: Chinese is wrapped by display columns (a 汉字 is two wide) and may
    break between any two 汉字, as textwrap breaks only at spaces; `raw` keeps the
    description's own lines (the program's examples)."""
    if lang == "en":
        return argparse.RawDescriptionHelpFormatter if raw else argparse.HelpFormatter
    return _RawColumns if raw else _Columns


class _Columns(argparse.HelpFormatter):
    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(" ".join(text.split()), width - len(indent)))


class _RawColumns(_Columns):
    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


_NO_BREAK_BEFORE = set("，。、；：？！）》」』”’,.;:?!)]")
_NO_BREAK_AFTER = set("（《「『“‘([")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken at spaces or between wide characters;
    a closing mark stays on the line of what it closes, an opening one goes with what it opens."""
    import unicodedata

    def columns(piece: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in piece)

    pieces: list[str] = []  # words, spaces, and each wide character alone
    for char in text:
        wide = columns(char) == 2
        if pieces and not wide and char != " " and pieces[-1] != " " and columns(pieces[-1][-1]) == 1:
            pieces[-1] += char
        else:
            pieces.append(char)
    lines, line, used = [], "", 0
    for piece in pieces:
        size = columns(piece)
        if used + size > width and line.strip() and piece not in _NO_BREAK_BEFORE:
            carried = line[-1] if line[-1] in _NO_BREAK_AFTER else ""  # an opening mark goes along
            lines.append(line[: len(line) - len(carried)].rstrip())
            line, used = carried, columns(carried)
            if piece == " ":
                continue
        line, used = line + piece, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def translator(lang: Lang) -> Callable[[str], str]:
    """The help text in `lang`: Chinese from HELP_ZH, English as written."""
    if lang == "en":
        return _same
    return lambda text: HELP_ZH.get(text, text)


def _same(text: str) -> str:
    return text


def description(lang: Lang) -> str:
    """The program's own description, with examples."""
    return _DESCRIPTION[lang]


def asked_lang(argv: Sequence[str]) -> Lang | None:
    """The language `--lang zh|en` (or `--lang=…`) asks for in argv, before any parsing."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in ("zh", "en"):
            return "zh" if value == "zh" else "en"
    return None


class speaking:  # noqa: N801 - used as a statement, `with speaking(lang):`
    """Within it, argparse's own words are in `lang`; its gettext is put back on the way out."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.saved: tuple[object, object] | None = None

    def __enter__(self) -> None:
        if self.lang == "zh":
            module = vars(argparse)
            self.saved = module["_"], module["ngettext"]
            module["_"] = _gettext
            module["ngettext"] = _ngettext

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.saved is not None:
            module = vars(argparse)
            module["_"], module["ngettext"] = self.saved
            self.saved = None


def _gettext(message: str) -> str:
    return ARGPARSE_ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)
