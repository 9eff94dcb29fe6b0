"""The words of every diagnostic and data error, in English and Chinese.

Codes are stable; docs/diagnostics.md has a section for each, and a test keeps the two
in step. Messages are lowercase with no final period and name things in backticks;
only hints suggest a fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pingfen.lang import Lang, checked, counted
from pingfen.oserrors import OSReason

# code -> (english, chinese)
MESSAGES: dict[str, tuple[str, str]] = {
    # syntax
    "PF001": ("unexpected character `{char}`", "无法识别的字符 `{char}`"),
    "PF002": ("unexpected `{token}`", "此处不应出现 `{token}`"),
    "PF003": ("unexpected end of file", "文件意外结束"),
    "PF007": ("invisible character `{char}`", "不可见字符 `{char_zh}`"),
    "PF004": ("`{text}` must be a whole number here", "`{text}` 在此处必须是整数"),
    "PF009": (
        "the band `{low}-{high}` does not say which of its ends it includes",
        "分档 `{low}-{high}` 没有写明是否包含两端",
    ),
    # names
    "PF005": ("nested more than {limit:level} deep", "嵌套超过 {limit} 层"),
    "PF006": ("the file is not UTF-8 text (at byte {byte})", "文件不是 UTF-8 编码（第 {byte} 字节处）"),
    "PF010": ("cannot read the rule file `{path}`: {reason}", "无法读取规则文件 `{path}`：{reason_zh}"),
    "PF008": ("{what}: {count}, more than the limit of {limit}", "{what_zh}为 {count}，超过上限 {limit}"),
    "PF101": ("`{name}` is defined more than once", "名称 `{name}` 重复"),
    "PF102": ("undefined name `{name}`", "未定义的名称 `{name}`"),
    "PF103": ("input or value `{name}` is declared more than once", "输入项或计算值 `{name}` 重复声明"),
    "PF104": ("input `{name}` is never used", "输入项 `{name}` 未被使用"),
    "PF105": ("the file has no `rubric` header", "文件缺少 `rubric` 标题块"),
    "PF106": ("`{name}` is defined in terms of itself", "`{name}` 的定义引用了自身"),
    "PF107": ("`{label}` is not a label of `{input}`", "`{label}` 不是 `{input}` 的选项"),
    "PF109": ("more than one `rubric` header", "`rubric` 标题块重复"),
    "PF110": ("`{setting}` is set more than once", "`{setting}` 重复设置"),
    "PF111": ("value `{name}` is never used", "计算值 `{name}` 未被使用"),
    "PF119": ("to do: {text}", "待办：{text}"),
    "PF108": ("`{name}` must be an input of type `score`", "`{name}` 必须是 score（评价分）类型的输入项"),
    # extends: a file built on another
    "PF120": ("cannot read the base file `{path}`: {reason}", "无法读取所继承的文件 `{path}`：{reason_zh}"),
    "PF121": (
        "`{path}` is this file or one it extends: the files extend one another in a circle",
        "`{path}` 就是本文件或其继承链上的文件：继承形成了循环",
    ),
    "PF122": ("more than {limit:file} extend one another", "文件层层继承超过 {limit} 层"),
    "PF123": ("`extends` must be the first item of the file, and only one", "`extends` 必须是文件的第一项，且只能有一个"),
    "PF124": ("the base file has no {kind} `{name}`", "所继承的文件中没有名为 `{name}` 的{kind_zh}"),
    "PF125": ("`{name}` is an indicator: rows are added to a group", "`{name}` 是指标而非分组，只能向分组中添加指标"),
    "PF126": ("`{word}` changes a base file, but this file extends none", "`{word}` 用于修改所继承的文件，但本文件没有 `extends`"),
    # types and units
    "PF113": ("label `{name}` is listed more than once", "选项 `{name}` 重复"),
    "PF115": ("label `{name}` begins or ends with a space, which data never keeps", "选项 `{name}` 首尾有空格，而数据中的首尾空格一律去掉"),
    "PF114": (
        "input `{name}` is named as a numbered column of the panel `{panel}`: a table's column `{name}` would be read for both",
        "输入项 `{name}` 与评委打分 `{panel}` 的编号列同名：数据表中的 `{name}` 列将同时被两者读取",
    ),
    "PF150": (
        "a panel's values are read through mean, median, trimmed_mean, min, max or count",
        "评委打分列表须通过 mean、median、trimmed_mean、min、max 或 count 取值",
    ),
    "PF151": ("panel `{name}` holds {type} values: a panel holds numbers", "评委打分 `{name}` 的类型为 {type}：列表只能由数值组成"),
    "PF152": ("a panel of `{text}` values: the size is a whole number from 1 to {limit}", "评委人数 `{text}` 应为 1 至 {limit} 的整数"),
    "PF220": (
        "penalty row `{name}` only deducts: its points are what its deductions take",
        "扣分项 `{name}` 只能写扣分规则：扣去的分数即为其扣分",
    ),
    "PF221": ("`cap total {cap}` is below the rubric's total {total}", "`cap total {cap}` 低于评分表总分 {total}"),
    "PF222": ("`{name}` is not a grade of the rubric", "`{name}` 不是评分表的评价等次"),
    "PF223": (
        "adjust row `{name}`: its {end} end {value} has the wrong sign",
        "加减分项 `{name}` 的{end_zh}限 {value} 符号不对",
    ),
    "PF224": ("adjust row `{name}` can neither add nor take points: its range is 0 .. 0", "加减分项 `{name}` 的范围为 0 至 0，既不加分也不扣分"),
    "PF227": (
        "veto `{veto}` bars `{name}`, the lowest grade: a record it holds for gets no grade",
        "否决项 `{veto}` 不得评为最低等次 `{name}`：该否决成立时记录没有任何等次",
    ),
    "PF230": ("`{func}` is the time between two dates", "`{func}` 计算两个日期之间的时间"),
    "PF231": ("a date is compared only with a date, not {right}", "日期只能与日期比较，不能与{right_zh}比较"),
    "PF153": (
        "a value across a batch reads inputs only, not `{name}`",
        "跨记录的计算值只能读取输入项，不能读取 `{name}`",
    ),
    "PF154": (
        "`{name}`: criteria not yet set ({text}); no record can be scored",
        "`{name}`：评分标准尚未制定（{text}），无法对任何记录评分",
    ),
    "PF130": ("cannot round to {places:place}", "不能保留 {places} 位小数"),
    "PF131": (
        "`{name}` is rounded to {places:place}, but its max {max} has more",
        "`{name}` 保留 {places} 位小数，但其分值 {max} 的小数位更多",
    ),
    "PF132": (
        "`{name}` is rounded to {places:place}, but its parts never have more: the rounding changes nothing",
        "`{name}` 保留 {places} 位小数，但其下级得分的小数位从不超过该位数：这一舍入不起作用",
    ),
    "PF201": ("cannot {action} {left} and {right}", "不能对{left_zh}和{right_zh}进行{action_zh}"),
    "PF202": (
        "percentage points (`{text}`) apply only to percents, not to {unit}",
        "百分点（`{text}`）只能用于百分比，不能用于{unit_zh}",
    ),
    "PF203": ("expected {expected}, found {found}", "此处应为{expected_zh}，实际为{found_zh}"),
    "PF204": ("`{text}` is used with a percent but is not one", "`{text}` 与百分比一起使用，但它不是百分比"),
    "PF205": ("step `{text}` does not fit {unit}", "步长 `{text}` 与{unit_zh}不匹配"),
    "PF206": ("`{op}` is not allowed here", "此处不能使用 `{op}`"),
    "PF210": ("`precision {text}` does not fit {unit}", "`precision {text}` 与{unit_zh}不匹配"),
    # structure and points
    "PF301": ("{points:point} is more than the max {max} of `{name}`", "{points} 分超过了 `{name}` 的分值 {max}"),
    "PF302": (
        "the maxima of `{name}`'s parts add up to {sum}, not {max}",
        "`{name}` 下级指标分值合计 {sum}，与其分值 {max} 不符",
    ),
    "PF303": (
        "the top groups add up to {sum}, but the rubric's total is {max}",
        "一级指标分值合计 {sum}，与总分 {max} 不符",
    ),
    "PF304": ("`{name}` has more than one way to give its score", "指标 `{name}` 有多个计分方式"),
    # `kind` and `fate`: what the row is and what it does empty (check/checker.py `_EMPTY`): an
    # indicator or a bonus row gets its max, a penalty row takes nothing, an adjust row counts 0
    "PF305": ("{kind}`{name}` has no scoring rule and {fate}", "{kind_zh}`{name}` 没有评分规则，{fate_zh}"),
    "PF306": ("band is empty: its lower end is not below its upper end", "分档区间为空：下限不小于上限"),
    "PF307": ("cannot round the total to {places:place}", "总分不能保留 {places} 位小数"),
    "PF308": ("unknown placeholder `{{{placeholder}}}` in reason", "扣分原因中的占位符 `{{{placeholder}}}` 未定义"),
    "PF311": (
        "the rubric has no groups or indicators: every record scores 0 of its total {total}",
        "评分表没有任何分组或指标：每条记录的得分都是 0（总分 {total}）",
    ),
    "PF312": ("reason template cannot be used: {problem}", "扣分原因模板无法使用：{problem_zh}"),
    "PF309": ("a step must be greater than zero", "步长必须大于零"),
    "PF310": ("`{name}` appears more than once in this match", "`{name}` 在本 match 中出现多次"),
    # soundness over the declared domains
    "PF415": (
        "input `{name}` can take no value: its bounds exclude each other",
        "输入项 `{name}` 的取值范围为空：上下限互相矛盾",
    ),
    "PF401": ("{witness} matches no band of `{subject}`", "{witness} 不属于 `{subject}` 的任何分档"),
    "PF402": (
        "bands overlap: {witness} is in both `{other}` and `{band}`",
        "分档重叠：{witness} 同时属于 `{other}` 和 `{band}`",
    ),
    "PF403": (
        "band `{band}` can never match: `{subject}` only takes {domain}",
        "分档 `{band}` 永远不会命中：`{subject}` 的取值范围是 {domain}",
    ),
    "PF404": (
        "`else` is never reached: the arms before it cover every value of `{subject}`",
        "`else` 永远不会用到：前面的分档已覆盖 `{subject}` 的全部取值",
    ),
    "PF405": ("this arm can never be chosen", "此条件永远不会被选中"),
    "PF406": ("no arm holds when `{subject}` is {witness}", "当 `{subject}` 为 {witness} 时没有任何条件成立"),
    "PF407": (
        "this `when` chain has no `else`: a record for which no arm holds is refused",
        "此 `when` 条件链没有 `else`：没有条件成立时该记录将无法评分",
    ),
    "PF408": ("`{name}` can score at most {high} of its {max}", "`{name}` 最多只能得 {high} 分（分值 {max}）"),
    "PF409": ("`{name}` always scores {value}", "`{name}` 的得分恒为 {value}"),
    "PF140": (
        "`{name}` reads no input, so no record can mark it 不适用: without `if` it always applies",
        "`{name}` 不读取任何输入项，数据无法将其标为不适用：没有 `if` 条件时它总是适用",
    ),
    "PF410": ("divisor `{divisor}` can be 0 (it takes {domain})", "除数 `{divisor}` 可能为 0（取值范围 {domain}）"),
    "PF411": ("a total of {witness} gets no grade", "总分为 {witness} 时没有对应的评价等次"),
    "PF430": (
        "every top-level row that carries points may be left out (`else rescale`): a record where none applies is refused (PF535)",
        "所有有分值的一级指标都可能不适用且不计入（`else rescale`）：均不适用的记录将无法评分（PF535）",
    ),
    "PF412": ("grade `{name}` is never given", "评价等次 `{name}` 永远不会出现"),
    "PF413": (
        "how partial steps of `{subject}` count is left to the default (proportional)",
        "`{subject}` 不足一步的部分如何计算未写明（默认按比例）",
    ),
    "PF414": ("label `{label}` of `{input}` has no arm", "`{input}` 的选项 `{label}` 没有对应的分数"),
    # examples and properties
    "PF601": ("`{name}` is not an input of the rubric", "`{name}` 不是评分表的输入项"),
    "PF602": ("no group or indicator is named `{name}`", "没有名为 `{name}` 的分组或指标"),
    "PF603": ('no example is named "{name}"', "没有名为“{name}”的示例"),
    "PF604": ('example "{name}" is defined more than once', "示例“{name}”重复定义"),
    "PF605": ('example "{example}": {detail}', "示例“{example}”：{detail_zh}"),
    "PF606": ("`{name}` is not a grade of the rubric", "`{name}` 不是评分表的评价等次"),
    "PF607": (
        "`{name}` scores from 0 to {max}: it can never be {value}",
        "`{name}` 的得分在 0 到 {max} 之间，不可能为 {value}",
    ),
    "PF608": (
        'example "{example}" gives no value for {names}{heirs}',
        "示例“{example}”没有给出 {names_zh} 的值{heirs_zh}",
    ),
    "PF609": ('example "{name}" starts from itself', "示例“{name}”经 from 又回到了自身"),
    "PF610": ("`{name}` is given more than once", "`{name}` 被多次给出"),
    "PF611": ('example "{name}" expects nothing', "示例“{name}”没有任何 expect"),
    "PF612": ("an example that expects an error expects nothing else", "预期出错的示例不能再有其他 expect"),
    "PF613": (
        "`{name}` is {kind}: it has no order to be monotone in",
        "`{name}` 是{kind_zh}，没有大小顺序，不能用于 monotone",
    ),
    "PF614": ("`{given_code}` is not a data error", "`{given_code}` 不是数据错误代码"),
    # data (evaluation)
    "PF541": (
        "`{input}` is a value across a batch (`{batch}`): score the records together, or give its value",
        "`{input}` 是跨记录的计算值（`{batch}`）：请将同批记录一起评分，或直接给出其值",
    ),
    "PF542": (
        "`{name}` has no criteria yet ({text}): no record is scored until they are written",
        "`{name}` 的评分标准尚未制定（{text}）：标准写定之前不对任何记录评分",
    ),
    "PF540": (
        "`{where}`: `{call}` needs at least {least:value}",
        "`{where}`：`{call}` 至少需要 {least} 个评分",
    ),
    "PF501": ("missing input `{input}`", "缺少输入项 `{input}`"),
    "PF532": (
        "`{path}`: its header, row 1, has no column {inputs}, which row {row} names: the header is over two rows",
        "`{path}` 的表头（第 1 行）中没有 {inputs_zh} 列，它们写在第 {row} 行：表头占了两行",
    ),
    "PF527": (
        "missing input `{input}`: the data's `{column}` is `{input}` with an invisible character, {char}",
        "缺少输入项 `{input}`：数据中的 `{column}` 是带有不可见字符 {char_zh} 的 `{input}`",
    ),
    "PF528": (
        "`{path}`: the id column `{column}` is `{id}` with an invisible character, {char}: no row would have its id",
        "`{path}` 的编号列 `{column}` 是带有不可见字符 {char_zh} 的 `{id}`：各行将没有编号",
    ),
    # where first, as PF536's and PF513's `at`: the file, its sheet and cell
    "PF534": (
        "`{path}`, sheet `{sheet}`, cell {cell}: input `{input}` holds a formula that was never calculated",
        "`{path}` 工作表 `{sheet}` 单元格 {cell}：输入项 `{input}` 是从未计算过的公式",
    ),
    "PF502": ("input `{input}`: {value} is not {expected}", "输入项 `{input}`：{value_zh} 不是{expected_zh}"),
    "PF503": (
        "input `{input}`: {value} is outside its domain ({domain})",
        "输入项 `{input}`：{value} 超出取值范围（{domain}）",
    ),
    "PF504": ("division by zero in `{where}`: `{divisor}` is 0", "`{where}` 中除数为零：`{divisor}` 为 0"),
    "PF505": ("`{name}`: {value} matches no band or arm", "`{name}`：{value} 不在任何分档或条件内"),
    "PF535": (
        "no row that carries points applies to this record: each top-level row is 不适用 and left out, or carries 0 points, so there is no total",
        "该记录没有适用且有分值的评分项：各一级指标均不适用且不计入，或分值为 0，无法得出总分",
    ),
    "PF506": ("input `{input}`: {value} is not one of {labels}", "输入项 `{input}`：{value} 不在可选项 {labels_zh} 中"),
    "PF523": (
        "input `{input}`: {value} without `%` is ambiguous for a percent: write {percent} or {ratio} "
        "(or {read}, if that is meant)",
        "输入项 `{input}`：{value} 未带 `%`，无法确定是百分数还是比值：请写作 {percent} 或 {ratio}"
        "（如确为 {read}，请写作 {read}）",
    ),
    "PF530": (
        "input `{input}`: {value} has more digits than its precision {precision} can hold",
        "输入项 `{input}`：{value} 的位数过多，无法按精度 {precision} 取舍",
    ),
    "PF507": (
        "this record cannot be scored: the arithmetic failed ({detail}); check its largest values",
        "该记录无法评分：计算出错（{detail}），请检查其中过大的数值",
    ),
    "PF508": ("cannot read `{path}`: {detail}", "无法读取 `{path}`：{detail_zh}"),
    "PF509": (
        "`{path}` has no column `{column}` (its columns: {columns})",
        "`{path}` 中没有 `{column}` 列（现有列：{columns}）",
    ),
    "PF510": ("`{path}`, line {line}: {detail}", "`{path}` 第 {line} 行：{detail_zh}"),
    "PF511": (
        "cannot read `{path}`: a {what} must be {formats}",
        "无法读取 `{path}`：{what_zh}应为 {formats} 文件",
    ),
    "PF512": (
        "cannot read `{path}` as {encoding} (near row {row}); give the right `--encoding`",
        "无法按 {encoding} 编码读取 `{path}`（约第 {row} 行），请用 `--encoding` 指定正确的编码",
    ),
    # `at`: where the declared score is in the file (`audit_file`), empty for a mapping given to `audit`
    "PF513": ("{at}`{name}` is not a group or indicator of the rubric", "{at_zh}`{name}` 不是评分表中的分组或指标"),
    # `name_zh`: the total's row is 总分 in 中文, `total` in English
    "PF514": ("{at}declared `{name}`: {value} is not a number", "{at_zh}`{name_zh}` 的自评得分 {value} 不是数值"),
    "PF524": (
        "{at}declared `{name}`: {value} is beyond any score ({range} in size)",
        "{at_zh}`{name_zh}` 的自评得分 {value} 超出可能的分值（绝对值须在 {range} 之间）",
    ),
    "PF536": (
        "{at}declared `{name}`: the cell holds a formula that was never calculated",
        "{at_zh}`{name_zh}` 的自评得分是从未计算过的公式",
    ),
    "PF537": (
        "`{path}` changed while the reports were being made: run it again ({written})",
        "`{path}` 在生成报告期间被修改：请重新运行（{written_zh}）",
    ),
    "PF517": ("`{name}` is not an input of the rubric", "`{name}` 不是评分表的输入项"),
    "PF518": ("`{path}` has no declared scores: {detail}", "`{path}` 中没有自评得分：{detail_zh}"),
    "PF519": (
        "`{path}`, sheet `{sheet}`: `{name}` is declared on more than one row ({rows}{hidden}); give each indicator its rubric name",
        "`{path}` 工作表 `{sheet}`：`{name}` 在多行（第 {rows} 行{hidden_zh}）都有自评得分，请按评分表中的名称填写各指标",
    ),
    "PF515": (
        "`{path}` holds {count:record}; name one with `--id`",
        "`{path}` 中有 {count} 条记录，请用 `--id` 指定其一",
    ),
    "PF516": ("`{path}` has no record with id `{id}`", "`{path}` 中没有编号为 `{id}` 的记录"),
    "PF525": (
        "`{path}` has {count:record} with id `{id}` (rows {rows}): an id names one department; make the ids unique",
        "`{path}` 中编号为 `{id}` 的记录有 {count} 条（第 {rows_zh} 行）：一个编号只能对应一个单位，请改正重复的编号",
    ),
    "PF526": ("`{path}` holds no records", "`{path}` 中没有任何记录"),
    "PF531": (
        "`{path}`: its first row, the header ({header}), names none of the rubric's inputs",
        "`{path}` 的第 1 行（表头：{header_zh}）中没有评分表的任何输入项",
    ),
    "PF533": (
        "both versions refuse `{path}`, each for its own reason: the old one (`{old}`) with {old_code}, "
        "the new one (`{new}`) with {new_code}, in that order below",
        "两个版本都无法读取 `{path}`，原因各不相同：旧版（`{old}`）为 {old_code}，新版（`{new}`）为 {new_code}，依次见下",
    ),
    "PF520": (
        "`{path}`, row {row}: {found:cell}, but the header has {expected}; a value with a comma must be in double quotes",
        "`{path}` 第 {row} 行有 {found} 个单元格，而表头有 {expected} 个；含逗号的值须放在英文双引号内",
    ),
    "PF521": (
        "cannot read `{path}`: it is not UTF-8 and does not look like GBK/GB18030 either{guess}; "
        "give the right `--encoding`, or save it as CSV UTF-8",
        "无法读取 `{path}`：它不是 UTF-8 编码，看起来也不是 GBK/GB18030{guess_zh}；"
        "请用 `--encoding` 指定正确的编码，或另存为“CSV UTF-8”",
    ),
    "PF522": (
        "the record is not a mapping of input names to values (it is {kind})",
        "该记录不是输入项名称与值的映射（而是 {kind}）",
    ),
    # output (what pingfen writes)
    "PF701": (
        "`{path}` is an input of this command (`{input}`): writing the output there would destroy it",
        "输出文件 `{path}` 是本命令的输入文件（`{input}`），写入会覆盖它",
    ),
    "PF705": (
        "`{path}` would have two columns `{column}`: the rubric has a {what} named as the output's own "
        "column; rename it in the rule file",
        "`{path}` 中将有两列 `{column}`：评分表中有{what_zh}与输出自带的列同名；请在评分表中为它改名",
    ),
    "PF702": ("cannot write `{path}`: it is a directory", "无法写入 `{path}`：它是一个目录"),
    "PF707": (
        "`{path}` is read-only: pingfen will not replace it; make it writable (chmod u+w) or write the output elsewhere",
        "`{path}` 是只读文件，pingfen 不会替换它：请先将其改为可写（chmod u+w），或将输出写到别处",
    ),
    "PF706": ("cannot write `{path}`: {reason}", "无法写入 `{path}`：{reason_zh}"),
    "PF708": (
        "`{path}`: its extension `{suffix}` names {named}, but --format {format} would write {format} into it: "
        "pingfen will not write one format under another's name",
        "`{path}` 的扩展名 `{suffix}` 表示 {named} 文件，而 --format 指定写出 {format}：pingfen 不会把一种格式写在另一种格式的文件名下",
    ),
    "PF703": (
        "cannot write `{path}`: the directory `{directory}` is not writable",
        "无法写入 `{path}`：目录 `{directory}` 不可写入",
    ),
    "PF704": ("cannot write `{path}`: {reason}", "无法写入 `{path}`：{reason_zh}"),
    "PF710": (
        "cannot write the PDF `{path}`: Chromium was not found (a PDF is the HTML report printed by Chromium); "
        "install it (apt-get install chromium), or set PINGFEN_CHROMIUM to it, or write .html or .docx instead",
        "无法生成 PDF `{path}`：找不到 Chromium（PDF 由 Chromium 打印 HTML 报告而成）；"
        "请安装 Chromium（apt-get install chromium），或以 PINGFEN_CHROMIUM 指明其位置，或改为输出 .html 或 .docx",
    ),
    "PF711": ("Chromium could not print the PDF `{path}`: {reason}", "Chromium 未能打印 PDF `{path}`：{reason_zh}"),
    # the workbench (`pingfen serve`)
    "PF850": ("`{path}` is outside the folder the workbench serves", "`{path}` 不在工作台所服务的文件夹内"),
    "PF851": ("there is no file `{path}` in the folder", "文件夹中没有文件 `{path}`"),
    "PF852": ("{what} is larger than the limit of {limit:byte}{size}", "{what_zh}超过上限 {limit} 字节{size_zh}"),
    "PF853": (
        "the request does not carry the workbench's token: open the address `pingfen serve` printed",
        "请求未带工作台的令牌：请打开 `pingfen serve` 所显示的地址",
    ),
    "PF854": ("the workbench opens and saves only .rule files, not `{path}`", "工作台只打开和保存 .rule 文件，不能打开或保存 `{path}`"),
    "PF858": (
        "`{path}` has changed on disk since it was opened (another tab, or someone else): reload it, "
        "or save under another name, so that neither change is lost",
        "`{path}` 在打开之后已在磁盘上被修改（另一个标签页或其他人）：请重新载入，或另存为其他文件名，以免丢失任何一方的修改",
    ),
    "PF859": ("`{path}` is not a regular file: the workbench saves only files", "`{path}` 不是普通文件：工作台只能保存到文件"),
    "PF861": ("the request names no file: give its name as `path`", "请求未给出文件名：请在 `path` 中给出文件名"),
    "PF860": (
        "the request is not what the workbench expects: a JSON object with the rule text as `text`",
        "请求格式不符：应为 JSON 对象，评分表文本在 `text` 中",
    ),
    "PF855": (
        "serving on `{host}`: other machines can reach the workbench, and whoever has its address "
        "can read the folder's files and change its .rule files",
        "正在 `{host}` 上提供服务：其他计算机可以访问工作台，任何得到其地址的人都能读取该文件夹的文件并修改其中的 .rule 文件",
    ),
    "PF856": ("the rubric has errors: fix them first", "评分表有错误：请先修改"),
    "PF857": ("`{name}` is not a data file the batch scores ({formats})", "`{name}` 不是可批量评分的数据文件（{formats_zh}）"),
    # the rubric as SQL (pingfen sql)
    "PF800": (
        "input `{input}`: {value} is beyond what the SQL query scores exactly (below 10^14 in size)",
        "输入项 `{input}`：{value} 超出 SQL 查询可精确计分的范围（绝对值须小于 10^14）",
    ),
    "PF801": (
        "a value worked out for the record reaches 10^18 - 1 in size, more than the SQL query's numbers hold (18 integer digits)",
        "为该记录算出的某个数值绝对值达到 10^18 - 1，超出 SQL 查询中数值可容纳的范围（18 位整数位）",
    ),
    "PF813": (
        "input `{input}`: {value} is text the Spark query does not read as pingfen does: store the number in a numeric column, or write it plainly (1200, 0.95)",
        "输入项 `{input}`：{value} 是 Spark 查询无法按 pingfen 的读法读取的文本：请把数存为数值列，或写成普通数字（1200、0.95）",
    ),
    "PF808": (
        "`{table}` is not a table name: write NAME, or SCHEMA.NAME as SQL writes it",
        "`{table}` 不是表名：请写表名，或按 SQL 的写法写 库名.表名",
    ),
    "PF802": ("`{form}` cannot be translated to SQL exactly", "`{form}` 无法精确地翻译为 SQL"),
    "PF803": ("`{dialect}` is not a SQL dialect pingfen writes; it writes {dialects}", "pingfen 不会写 `{dialect}` 方言的 SQL；可选：{dialects}"),
    "PF805": (
        "`{name}` is named as a column the query gives itself ({columns}): rename the group or indicator to score it in SQL",
        "`{name}` 与查询自身的列（{columns}）同名：须将该分组或指标改名后才能以 SQL 评分",
    ),
    "PF809": (
        "`{name}` and `{other}` are one name to {dialect}, which does not tell them apart (letter case): rename one "
        "to score it in SQL",
        "`{name}` 与 `{other}` 在 {dialect} 中是同一个名称（不区分其字母大小写等）：须将其一改名后才能以 SQL 评分",
    ),
    "PF810": (
        "input `{name}` begins with `{prefix}`, which the query keeps for its own columns: rename the input to score it in SQL",
        "输入项 `{name}` 以 `{prefix}` 开头，该前缀留作查询内部的列名：须将该输入项改名后才能以 SQL 评分",
    ),
    "PF811": (
        "column `{column}` cannot be passed through: the query writes its own column `{name}` ({dialect})",
        "列 `{column}` 不能原样保留：查询自身写出的列 `{name}` 与其同名（{dialect}）",
    ),
    "PF814": (
        "`--keep` (or `keep=`) names an empty column: remove the comma at the end of the list, or one of two "
        "together (`--keep id,单位`)",
        "`--keep`（或 `keep=`）中有空的列名：请删去列表末尾的逗号，或连在一起的两个逗号之一（如 `--keep id,单位`）",
    ),
    "PF812": (
        "`{name}` is longer than the {limit} bytes of a column's name that {dialect} keeps: its score would be written "
        "under a shorter name: rename the group or indicator to score it in SQL there",
        "`{name}` 超过 {dialect} 列名可保留的 {limit} 字节：其得分将写在截短后的列名下：须将该分组或指标改名后才能在其上以 SQL 评分",
    ),
    "PF807": (
        "`{form}` is not translated to SQL yet: score this rubric with `pingfen eval`",
        "`{form}` 尚不能翻译为 SQL：请用 `pingfen eval` 对此评分表评分",
    ),
    "PF820": (
        "panel `{input}` is read with list functions that pingfen writes for DuckDB and Spark only, not for {dialect}: score it there, or with `pingfen eval`",
        "专家评分组 `{input}` 须用列表函数读取，pingfen 只为 DuckDB 和 Spark 写出，不为 {dialect} 写出：请在这两者之一上或用 `pingfen eval` 评分",
    ),
    "PF806": (
        "the reasons column of a scored row cannot be read: {detail}",
        "评分结果行的 reasons 列无法读取：{detail_zh}",
    ),
    "PF804": (
        "pingfen writes the query for {dialects} only, not for {dialect}: only on those engines do the tests run it and "
        "check its scores against `pingfen eval`; another engine may parse or type it differently and score differently. "
        "Score there, or with `pingfen eval`",
        "pingfen 只为 {dialects} 写出查询，不为 {dialect} 写出：只有在这些引擎上，测试实际运行了查询并与 `pingfen eval` "
        "核对计分；其他引擎可能解析不了查询或按其他类型运算，计分不同。请在上述引擎之一上或用 `pingfen eval` 评分",
    ),
    "PF831": (
        "DuckDB could not score {data}: {detail}",
        "DuckDB 无法为 {data} 评分：{detail_zh}",
    ),
    "PF731": (
        "the file's columns {columns} are named as columns pingfen writes; they are not written to the output "
        "(rename them to keep them)",
        "文件中的列 {columns} 与 pingfen 写出的列同名，未写入输出（如需保留请改名）",
    ),
    "PF728": (
        "{data}, line {line}: more than {past:cell} past the header; the engine stops at such a row: "
        "run without `--engine duckdb` to see each row whose cells do not line up with the header",
        "{data} 第 {line} 行的单元格比表头多出 {past} 个以上，引擎在此停止：去掉 `--engine duckdb` 运行，"
        "可逐行看到单元格与表头不对应的行",
    ),
    "PF734": (
        "{data}, row {row}: the engine's copy of the sheet for DuckDB would exceed its limit ({row_mb} MB a row, "
        "{copy_mb} MB in all): run without `--engine duckdb`, which reads the sheet with no such limit, or shorten the long cells",
        "{data} 第 {row} 行：引擎为 DuckDB 写出的工作表副本将超过上限（每行 {row_mb} MB，总共 {copy_mb} MB）："
        "请去掉 `--engine duckdb` 运行（不经 DuckDB 读取工作表，没有此限），或缩短过长的单元格",
    ),
    "PF733": (
        "{data}: the column `{column}` is named as the input `{input}` but for letter case, which DuckDB does not "
        "tell apart (pingfen eval would find `{input}` missing): name the column `{input}`",
        "{data} 的列 `{column}` 与输入项 `{input}` 只有字母大小写不同，DuckDB 不加区分（pingfen eval 则认为缺少 `{input}`）："
        "请把该列改名为 `{input}`",
    ),
    "PF735": (
        "{path}: DuckDB reads `{char}` in a path as a pattern or a folder separator, and could read another file; {why}",
        "{path}：DuckDB 把路径中的 `{char}` 当作通配符或文件夹分隔符，可能读到别的文件；{why_zh}",
    ),
    "PF729": (
        "{data}: the columns `{first}` and `{second}` differ only in letter case, which DuckDB does not tell apart: "
        "rename one, or run without `--engine duckdb`",
        "{data} 的列 `{first}` 与 `{second}` 只有字母大小写不同，DuckDB 不加区分：请改名其一，或去掉 `--engine duckdb` 运行",
    ),
    "PF832": (
        "--engine duckdb reads a .parquet, .csv or .xlsx file and writes -o FILE.parquet or FILE.csv (got {data} to {output})",
        "--engine duckdb 读取 .parquet、.csv 或 .xlsx 文件，并写入 -o 文件.parquet 或 文件.csv（收到：{data} 写入 {output}）",
    ),
    "PF816": (
        "--reasons goes with --engine duckdb: the Python batch writes no reasons (its JSON rows hold the scores only); each row's reasons are in `pingfen report RULESET DATA -o FOLDER/`",
        "--reasons 须与 --engine duckdb 同用：Python 批量评分不输出扣分理由（其 JSON 各行只有分数）；各行的理由见 `pingfen report 评分表 数据 -o 文件夹/`",
    ),
    "PF830": (
        "the query is exact on Spark only with spark.sql.decimalOperations.allowPrecisionLoss=false and spark.sql.ansi.enabled=true: set both on the session (spark-submit --conf …; pingfen.spark.score sets them)",
        "该查询在 Spark 上仅当 spark.sql.decimalOperations.allowPrecisionLoss=false 且 spark.sql.ansi.enabled=true 时精确：请在会话上设置这两项（spark-submit --conf …；pingfen.spark.score 会自动设置）",
    ),
}

# hint key -> (english, chinese)
HINTS: dict[str, tuple[str, str]] = {
    "odd_link": (  # PF735: the file's own path holds it
        "the engine could not name the file to DuckDB without it ({reason}): rename it without `{char}`, "
        "or run without `--engine duckdb`",
        "引擎未能以不含它的名称把文件交给 DuckDB（{reason_zh}）：请改用不含 `{char}` 的名称，或去掉 `--engine duckdb` 运行",
    ),
    "odd_tmpdir": (  # PF735: the temporary folder's path holds it, where the engine's copies and links are
        "it is in the path of the temporary folder `{folder}`, where the engine gives DuckDB its copy of the file: "
        "set TMPDIR to a folder whose path has no `{char}`, or run without `--engine duckdb`",
        "它在临时文件夹 `{folder}` 的路径中，引擎在那里把文件的副本交给 DuckDB：请把 TMPDIR 设为路径中不含 `{char}` 的文件夹，"
        "或去掉 `--engine duckdb` 运行",
    ),
    "may_be_na": (
        "if it does not apply, write N/A, 不适用 or 无此项",
        "如该项不适用，请填写“不适用”、N/A 或“无此项”",
    ),
    "excel_error": (
        "the cell holds a spreadsheet's error value (such as #N/A or #DIV/0!), not data: fix the formula or enter the value",
        "该单元格是电子表格的错误值（如 #N/A、#DIV/0!），不是数据：请修正公式或填入数值",
    ),
    "parquet": (
        "a Parquet file is scored by DuckDB: pingfen eval --engine duckdb RULESET FILE.parquet -o RESULTS.parquet",
        "Parquet 文件由 DuckDB 评分：pingfen eval --engine duckdb 评分表 文件.parquet -o 结果.parquet",
    ),
    "parquet_convert": (
        "pingfen {command} reads .xlsx, .csv, .jsonl, .json or .yaml, not Parquet (only pingfen eval --engine duckdb "
        "scores it): export it to CSV first, e.g. in DuckDB: COPY (FROM 'FILE.parquet') TO 'FILE.csv'",
        "pingfen {command} 读取 .xlsx、.csv、.jsonl、.json 或 .yaml 文件，不读取 Parquet（仅 pingfen eval --engine duckdb "
        "可为其评分）：请先导出为 CSV，例如在 DuckDB 中执行 COPY (FROM '文件.parquet') TO '文件.csv'",
    ),
    "parquet_audit": (
        "a Parquet file is data for pingfen eval --engine duckdb to score, not a self-evaluation: "
        "pingfen template RULESET -o FILLED.xlsx writes a workbook to fill in (its 自评得分 column and its 数据 sheet)",
        "Parquet 文件是供 pingfen eval --engine duckdb 评分的数据，不是自评表："
        "pingfen template 评分表 -o 自评表.xlsx 可生成待填写的工作簿（填写其“自评得分”列和“数据”工作表）",
    ),
    "folder_name": (
        "to write a file, leave out the `{end}` at the end: -o {name}",
        "要写入文件，请去掉末尾的 `{end}`：-o {name}",
    ),
    "folder_name_other": (  # the name without it is refused too (an input), or the folder above is meant (`..`)
        "to write a file, leave out the `{end}` at the end and choose another name",
        "要写入文件，请去掉末尾的 `{end}`，并另选一个名称",
    ),
    "output_suffix": (
        "name the file with one of those extensions, or say the format with --format",
        "请使用上述扩展名之一，或用 --format 指定格式",
    ),
    "format_suffix": (
        "to write {format}, name the file so: -o NAME{wanted}",
        "要写出 {format}，请把文件名改为 -o 文件名{wanted}",
    ),
    "format_suffix_either": (
        "to write {format}, name the file so: -o NAME{wanted}; to write {named}, leave out --format",
        "要写出 {format}，请把文件名改为 -o 文件名{wanted}；要写出 {named}，请去掉 --format",
    ),
    "rule_suffix": (
        "name the draft as a rule file: -o {rule}",
        "请以规则文件的名称保存草稿：-o {rule}",
    ),
    "xls_suffix": (
        "pingfen writes Excel workbooks as .xlsx (Excel 2007 and later), not the old .xls: write -o NAME.xlsx",
        "pingfen 以 .xlsx 格式（Excel 2007 及以后版本）写出工作簿，不写旧的 .xls 格式：请改为 -o 文件名.xlsx",
    ),
    "decimal_point": (
        "write a decimal point as `.` (`0.5`, `０．５`); if it is not one, remove the character",
        "小数点请写作 `.`（如 `0.5`，或全角 `０．５`）；若不是小数点，删除该字符",
    ),
    "points_word": (
        "points are a bare number, without 分: write `{number}`",
        "分数只写数字，不写“分”：请写 `{number}`",
    ),
    "unclosed_string": (
        "the text in quotes has no closing `{close}` on this line: add it where the text ends"
        " (quoted text stays on one line)",
        "引号内的文字在本行没有结尾的 `{close}`：请在文字结束处补上（引号内的文字不能跨行）",
    ),
    "unexpected_char": (
        "remove it, or put text in double quotes",
        "删除该字符，或将文字放在英文双引号内",
    ),
    "control_char": (
        "an invisible control character (`{escaped}`) cannot appear in rule text, not even in text or comments: delete it",
        "规则文本中（包括引号内的文字和注释）不能出现不可见的控制字符（`{escaped}`）：请删除",
    ),
    "invisible_char": (
        "delete it: it shows as nothing, so a name holding it looks like another name and is not it"
        " (retype the text around it if your editor does not show it)",
        "请删除该字符：它看不见，含有它的名称看起来与另一名称相同，实际却不同（编辑器不显示时，可重新输入其前后的文字）",
    ),
    "close_brace": (
        "`{block} {{` is never closed: add `}}` where it ends",
        "`{block} {{` 没有对应的 `}}`：请在它结束处补上 `}}`",
    ),
    "unclosed": (
        "`{block} {{` at line {line} is never closed: add `}}` before this",
        "第 {line} 行的 `{block} {{` 没有对应的 `}}`：请在此之前补上 `}}`",
    ),
    "unclosed_many": (
        "{count} blocks are never closed, the innermost `{block} {{` at line {line}: add {count} `}}` before this",
        "有 {count} 个块没有闭合，最内层是第 {line} 行的 `{block} {{`：请在此之前补上 {count} 个 `}}`",
    ),
    "bracket_name": (
        "a name with brackets in it is written between backquotes: {suggestion}",
        "名称中含有括号时，用反引号把整个名称括起来：{suggestion}",
    ),
    "nested_quotes": (
        "a text in “…” cannot hold “ or ” itself: write it in ASCII quotes, `{suggestion}`",
        "“…”内的文字不能再含有“或”：请改用英文双引号，写作 `{suggestion}`",
    ),
    "mark_included": (
        "write `[{low}, {high})` if it takes {low} but not {high}, `({low}, {high}]` for the other way round,"
        " or mark the included end: `{low}（含）－{high}`",
        "包含 {low} 而不含 {high} 请写 `[{low}, {high})`，反之写 `({low}, {high}]`；"
        "或标出包含的一端：`{low}（含）－{high}`",
    ),
    "flatten": (
        "split the expression with `let` values (in a long chain of `+` or `*` each term is a level), "
        "or remove redundant parentheses",
        "用 `let` 拆分表达式（一长串 `+` 或 `*` 中每一项都算一层），或去掉多余的括号",
    ),
    "places_range": ("round to between 0 and {limit:place}", "小数位数应在 0 到 {limit} 之间"),
    "template_braces": (
        "write `{{{{` and `}}}}` for a brace, and placeholders as `{{名称}}`",
        "花括号本身写作 `{{{{` 和 `}}}}`，占位符写作 `{{名称}}`",
    ),
    "too_large": (
        "a rubric this large is most likely generated by mistake; split it into several files",
        "如此大的评分表多半是生成出错；请拆分为多个文件",
    ),
    "too_large_bytes": (
        "a rule file holds at most 500,000 characters, and pingfen reads no more than {limit} bytes of one "
        "to count them; a rubric this large is most likely generated by mistake; split it into several files",
        "评分表文件最多 500000 个字符，pingfen 为计数最多读取 {limit} 字节；如此大的评分表多半是生成出错；请拆分为多个文件",
    ),
    "too_many": (
        "no real rubric needs this many: merge arms that give the same points, or split the indicator",
        "实际评分表不需要这么多：合并得分相同的分档或条件，或拆分指标",
    ),
    "office_file": (
        "this is an Excel or Word file, not a rule file (.rule): a rubric table is made one with"
        " `pingfen import TABLE -o draft.rule`; a data file is given after the rule file",
        "这是 Excel 或 Word 文件，不是规则文件（.rule）：评分表请先用 `pingfen import 评分表 -o 草稿.rule`"
        " 导入为规则；数据文件应写在规则文件之后",
    ),
    "save_utf8": (
        "save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8; in WPS: Save As, with the encoding UTF-8)",
        "请将文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8；WPS：另存为时编码选 UTF-8）",
    ),
    "save_utf8_gbk": (
        "the file is GBK (Notepad's \"ANSI\" on a Chinese Windows), shown so here: save it as UTF-8 "
        "(in Notepad: Save As → Encoding: UTF-8; in WPS: Save As, with the encoding UTF-8)",
        "该文件是 GBK 编码（中文 Windows 记事本的“ANSI”），此处按 GBK 显示：请将文件另存为 UTF-8 编码"
        "（记事本：另存为 → 编码选 UTF-8；WPS：另存为时编码选 UTF-8）",
    ),
    "fix_bounds": ("check the bounds, e.g. `amount > 1 and < 5`", "检查上下限，例如 `amount > 1 and < 5`"),
    "total_digits": (
        "the total and its decimals must fit in {digits:digit}: lower the total or the places",
        "总分及其小数位合计不能超过 {digits} 位：请降低总分或小数位数",
    ),
    "remove_repeat": ("remove the repeated one", "删除重复的一项"),
    "label_spaces": ("write the label without them: `{stripped}`", "请去掉首尾空格：`{stripped}`"),
    "rename_panel_column": (
        "rename the input (or the panel, declared at line {line}): a panel `{panel}` reads the columns `{panel}1`, `{panel}2`, …",
        "请为该输入项（或第 {line} 行声明的评委打分）改名：评委打分 `{panel}` 读取 `{panel}1`、`{panel}2`……各列",
    ),
    "incomplete": (
        "the file ends in the middle of a statement: finish or remove it",
        "文件在语句中间结束：请补全或删除该语句",
    ),
    "expected": ("expected {expected}", "此处应为：{expected_zh}"),
    "missing_max": (
        "write the max points after the name, e.g. `group 投入 15 {{` or `indicator 名称 5 {{`",
        "在名称后写出分值，例如 `group 投入 15 {{` 或 `indicator 名称 5 {{`",
    ),
    "missing_arrow": ("write `->` before the points, e.g. `>= 90% -> 5`", "在分数前写 `->`，例如 `>= 90% -> 5`"),
    "missing_colon": (
        "write `:` before the type, e.g. `input 名称: percent`",
        "在类型前写 `:`，例如 `input 名称: percent`",
    ),
    "unknown_type": (
        "the types are percent, amount, count, bool, score, number and label {{…}}",
        "类型可为 percent、amount、count、bool、score、number 或 label {{…}}",
    ),
    "missing_points": ("write the points after `->`, e.g. `-> 5`", "在 `->` 后写出分数，例如 `-> 5`"),
    "whole_number": ("write {what} without decimals", "去掉小数部分"),
    "did_you_mean": ("did you mean `{suggestion}`?", "是否应为 `{suggestion}`？"),
    "renamed_beside": (
        "beside the rows declared, the file leaves out {names}: if this row is one of them under an old name,"
        " write the rubric's (`pingfen diff OLD.rule NEW.rule` lists renames), else delete it",
        "与所填各行同级而未填的有 {names_zh}：如该行是其中某行的旧名称，请改用评分表中的名称"
        "（`pingfen diff 旧评分表 新评分表` 可列出更名），否则请删去该行",
    ),
    "always_applies": (
        "the row always applies (the rubric gives it no `applies … else`): write its score, or leave the cell"
        " blank to declare none",
        "该行始终适用（评分表未规定其不适用的情形）：请填写自评得分，或留空表示未自评",
    ),
    # a declared score's (PF514) and a number input's (PF502): 5分 for 5
    "number_alone": (
        "write the number alone, without 分: {number}",
        "请只写数值，不带“分”字：{number}",
    ),
    "total_row": (
        "if this row is the total, name it as the audit reads a total: {names} (or `total`)",
        "如该行是总分，请将名称写作 {names_zh} 之一",
    ),
    "grade_row": (
        "if this row is the grade, name it as the audit reads a grade: {names} (or `grade`)",
        "如该行是评价等次，请将名称写作 {names_zh} 之一",
    ),
    "subtotal_row": (
        "a group's subtotal is declared on the group's own row, under its name: write the group's name"
        " in place of the subtotal's, or delete the row",
        "分组的小计应填在该分组自己的行（写分组的名称）：请把“小计”改为分组名称，或删去该行",
    ),
    "renamed_or_dropped": (
        "if the row was renamed, `pingfen diff OLD.rule NEW.rule` shows its new name; if the rubric has it no more, delete it",
        "如该行已改名，`pingfen diff 旧评分表 新评分表` 可查出新名称；如评分表已没有这一行，请删去它",
    ),
    "bare_percent": (
        "a number without `%` is a ratio, so {value} would be {read}; when an input may go beyond 100%, "
        "its rubric can say so with a bound (`<= 300%`), and a bare number up to it is then a ratio",
        "不带 `%` 的数按比值读取，{value} 会被读作 {read}；如该输入项可以超过 100%，"
        "评分规则可为其声明上限（如 `<= 300%`），不超过上限的数即按比值读取",
    ),
    "todo": (
        "do what the comment asks, then delete it (`pingfen import` leaves one above each row it could not read)",
        "按注释完成后删去该注释（`pingfen import` 在未能识别的每一行上方留有一条）",
    ),
    "invisible_column": (
        "delete the character from the column's header (or the record's key): it shows as nothing,"
        " and pingfen reads a name as it is written",
        "请删除列名（或键名）中的该字符：它看不见，而 pingfen 按名称的实际内容读取",
    ),
    "header_one_row": (
        "write the name of every column in row 1 (unmerge the header's cells) and delete the header's other row",
        "请把各列的名称都写在第 1 行（取消表头的合并单元格），并删除多出的表头行",
    ),
    "header_sheet": (
        "the sheet `{sheet}` names the inputs, but the workbook opens on another, which pingfen reads:"
        " open `{sheet}` in Excel and save the workbook",
        "各输入项的名称在工作表 `{sheet}` 中，而工作簿打开时显示的是另一个工作表（pingfen 读取的是它）："
        "请在 Excel 中切换到 `{sheet}` 后保存",
    ),
    "table_files": (
        "the tables in {folder}: {files}; give one of them: pingfen import {within}NAME",
        "{folder_zh}中的评分表：{files_zh}；请指定其中一个文件：pingfen import {within}文件名",
    ),
    "table_sheet": (
        "a rubric table is on the sheet {sheets}, but the workbook opens on another, which pingfen reads:"
        " open the sheet to import in Excel and save the workbook",
        "工作表 {sheets_zh} 中有评分表，而工作簿打开时显示的是另一个工作表（pingfen 读取的是它）："
        "请在 Excel 中切换到要导入的工作表后保存",
    ),
    "table_sheets": (  # several named: English says so
        "rubric tables are on the sheets {sheets}, but the workbook opens on another, which pingfen reads:"
        " open the sheet to import in Excel and save the workbook",
        "工作表 {sheets_zh} 中有评分表，而工作簿打开时显示的是另一个工作表（pingfen 读取的是它）："
        "请在 Excel 中切换到要导入的工作表后保存",
    ),
    "header_below": (
        "row {row} names inputs: the header must be the first row; delete the rows above it (a title, say)",
        "第 {row} 行才是各输入项的名称：表头必须是第 1 行，请删除它上面的行（如标题行）",
    ),
    "header_names": (
        "the first row must name the inputs as the rubric does, e.g. `{example}`; "
        "`pingfen template RULESET -o FILE.xlsx` writes a file with that header",
        "第 1 行须写明各输入项的名称（与评分表一致），如 `{example}`；"
        "`pingfen template 评分表 -o 文件.xlsx` 可生成带这一表头的填报模板",
    ),
    "uncomputed_formula": (
        "the formula has no saved result: open the workbook in Excel or WPS, save it and try again",
        "公式没有保存的计算结果：请在 Excel 或 WPS 中打开并保存后再试",
    ),
    # Excel keeps a merged range's value in its first cell alone: said so, true whether or not that cell is blank
    "merged_cell": (
        "{cell} of the sheet `{sheet}` lies in the merged cells {range}, whose value Excel keeps in {first} alone:"
        " unmerge them and fill in each row's value",
        "工作表 `{sheet}` 的 {cell} 在合并单元格 {range} 中，Excel 只在 {first} 中保存其值：请取消合并，并在每一行填上各自的值",
    ),
    "merged_header": (
        "{cell} of the sheet `{sheet}` is merged with the header's {first} ({range}), and so reads blank:"
        " unmerge them and fill in each row's value",
        "工作表 `{sheet}` 的 {cell} 与表头的 {first} 合并（{range}），因此读作空白：请取消合并，并在每一行填上各自的值",
    ),
    "did_you_mean_key": ("the data has `{suggestion}`: is it misspelt?", "数据中有 `{suggestion}`，是否拼写有误？"),
    "spaced_key": (
        "the data has `{suggestion}`, which differs from it only by spaces: name it `{input}`, as the rubric does",
        "数据中有 `{suggestion}`，与其只差空格：请按评分表写作 `{input}`",
    ),
    "bool_word": (
        "in a rule yes and no are `true` and `false`: write `= {value}`, or the input alone as the condition,"
        " `if NAME` (`if not NAME` for no)",
        "规则中的是/否写作 `true`/`false`：请写 `= {value}`，或直接以输入项为条件：`if 名称`（否：`if not 名称`）",
    ),
    "declare_input": ("declare it, e.g. `input {name}: percent`", "先声明该输入项，例如 `input {name}: percent`"),
    "rename_node": (
        "names of groups and indicators must be unique; rename one of them",
        "分组和指标名称必须唯一，请重命名其中之一",
    ),
    "remove_unused": ("remove the declaration, or use it in a rule", "删除该声明，或在规则中使用它"),
    "remove_base_input": (
        "it comes from a base file, which is not the place to delete it: write `remove input {name}` in the file that extends it, or use it in a rule",
        "它来自被继承的文件，不宜在那里删除：请在继承它的文件中写 `remove input {name}`，或在规则中使用它",
    ),
    "misspelt_use": (
        "`{typo}` at line {line} is likely a misspelling of it: correct that first",
        "第 {line} 行的 `{typo}` 可能是它的笔误：请先改正那里",
    ),
    "first_defined": ("first defined at line {line}", "首次定义于第 {line} 行"),
    "percent_literal": ("write it as a percent, e.g. `{suggestion}`", "写成百分比形式，例如 `{suggestion}`"),
    "precision_unit": (
        "a precision is a power of ten in the input's unit: `0.01%` for a percent, `0.01` for an amount, "
        "a number or a score",
        "精度应为输入项单位下 10 的整数次幂：百分比写 `0.01%`，金额、数值或评价分写 `0.01`",
    ),
    "round_useless": (
        "remove `round {places}` from the group, or keep its parts' scores more exactly",
        "请删去该组的 `round {places}`，或让下级得分保留更多小数位",
    ),
    "round_max": (
        "round to at least as many places as the max has, so that a full score stays full",
        "保留的小数位数应不少于分值的小数位数，满分才能保持满分",
    ),
    "percent_points": (
        "a score counts points: multiply the percent by the points it is worth (`… * {max}`), and `{text}` stays points",
        "得分以分计：请把百分比乘以它对应的分值（`… * {max}`），`{text}` 即为分数",
    ),
    "pp_only_percent": (
        "percentage points go only with percents; beside {unit} write a plain number",
        "百分点只能与百分比一起使用；与{unit_zh}一起请写普通数字",
    ),
    "fix_points": ("lower the points or raise the indicator's max", "降低分数或提高指标分值"),
    "penalty_deducts": (
        "write the row's points in a `bonus` row, or as `deduct … if …` / `deduct … per …`",
        "加分请写在 `bonus` 加分项中；扣分项只写 `deduct … if …` 或 `deduct … per …`",
    ),
    "adjust_sign": (
        "write the most it takes as a number at or below 0 and the most it adds at or above 0: `-2 .. +2`",
        "下限写最多扣的分（不大于 0），上限写最多加的分（不小于 0），如 `-2 .. +2`",
    ),
    "adjust_range": (
        "write the points it may take and add (`-2 .. +2`), or remove the row",
        "请写出可扣和可加的分数（如 `-2 .. +2`），或删除该行",
    ),
    "veto_grade": ("the header's grades are: {grades}", "标题块中的评价等次为：{grades_zh}"),
    "veto_lowest": (
        "to give the lowest grade write `-> grade {name}`; to score 0 write `-> zero`; or bar a higher grade",
        "如应评为最低等次，写 `-> grade {name}`；如总分计0分，写 `-> zero`；或改为不得评为更高的等次",
    ),
    "raise_cap": ("the cap is the most the total may reach with bonus points: at least {total}", "封顶分是加分后总分的上限，不应低于 {total}"),
    "add_rows": (
        "write the rubric's groups and indicators below the header, e.g. `indicator 预算执行率 5 {{ … }}`",
        "在标题块之后写出评分表的分组和指标，例如 `indicator 预算执行率 5 {{ … }}`",
    ),
    "fix_sum": ("make the parts' maxima add up to {max}", "调整下级分值，使其合计为 {max}"),
    "one_base": (
        "keep one of bands, when, match, judgment or score =",
        "只保留 bands、when、match、judgment、score = 中的一种",
    ),
    "add_rule": (
        "add a rule such as `bands`, `deduct` or `judgment`; for fixed full marks write `score = {max}`",
        "添加评分规则，例如 `bands`、`deduct` 或 `judgment`；固定满分请写 `score = {max}`",
    ),
    "add_deduction": (
        "add the deductions the table gives: `deduct … if …` or `deduct … per …`",
        "添加评分表规定的扣分规则：`deduct … if …` 或 `deduct … per …`",
    ),
    "add_adjustment": (
        "add the rules that add and take points: `award … if …`, `deduct … if …` or `deduct … per …`",
        "添加加分和扣分规则：`award … if …`、`deduct … if …` 或 `deduct … per …`",
    ),
    "make_condition": ("write a comparison, e.g. `{text} > 0`", "写成比较式，例如 `{text} > 0`"),
    "break_cycle": (
        "define each value from inputs or earlier values",
        "让每个计算值只依赖输入项或其他未引用它的计算值",
    ),
    "one_header": ("keep a single `rubric` block", "只保留一个 `rubric` 块"),
    "rule_files": ("the rule files in {folder}: {files}", "{folder_zh}中的规则文件：{files_zh}"),
    "rule_path": (
        "check the name and the folder: a relative path starts from the folder pingfen runs in",
        "请检查文件名和文件夹：相对路径从运行 pingfen 的文件夹算起",
    ),
    "extends_path": (
        "the path is relative to this file's folder, e.g. `extends \"../2021/部门整体.rule\"`",
        "路径相对于本文件所在的文件夹，例如 `extends \"../2021/部门整体.rule\"`",
    ),
    "extends_cycle": ("a file cannot be its own base: extend a file that does not extend this one", "文件不能继承自身：请继承一个不继承本文件的文件"),
    "flatten_extends": ("copy a base into the file that extends it, to shorten the chain", "将某一层的内容并入继承它的文件，缩短继承链"),
    "extends_first": ("write one `extends \"…\"` at the top of the file", "在文件开头只写一个 `extends \"…\"`"),
    "add_extends": ("start the file with `extends \"BASE.rule\"`, or write the row out in full", "在文件开头写 `extends \"基础文件.rule\"`，或写出完整的指标"),
    "removed_before": ("removed already at line {line}: delete this line", "已在第 {line} 行删除，请删去这一行"),
    "base_names": ("check the name against the base file; a new row is written out in full, not changed", "请对照所继承的文件核对名称；新增指标应完整写出"),
    "add_to_group": ("replace the indicator with a group of the same name, or add the rows to its group", "用同名分组替换该指标，或把新指标加到其所在的分组"),
    "same_unit": (
        "compare values of the same kind; divide to get a percent",
        "比较同类数值；需要比率时先相除得到百分比",
    ),
    "panel_in_example": (
        "an example gives a list's values in one text: `{given}`",
        "示例中一组值写作一个文本：`{given}`",
    ),
    "same_kind_bool": (
        "compare a yes/no value with `true`, `false` or another yes/no value",
        "是/否值只能与 `true`、`false` 或另一个是/否值比较",
    ),
    "same_kind_label": (
        "compare a label with one of its labels, or another label input of the same labels",
        "选项只能与它的选项或另一个同样选项的输入项比较",
    ),
    "same_branches": (
        "give `then` and `else` values of the same kind",
        "`then` 与 `else` 后应为同一类的值",
    ),
    "plain_number": (
        "{left} is compared with a plain number: write it without `%`; to compare a ratio, divide first to get a percent",
        "{left_zh}应与不带 `%` 的数比较：请去掉 `%`；要比较比率，先相除得到百分比",
    ),
    "bool_number": (
        "a yes/no value is not a number: use it as a condition, e.g. `if … then 10 else 0` or `award 10 if …`",
        "是/否值不是数值：请把它作为条件，例如 `if … then 10 else 0` 或 `award 10 if …`",
    ),
    "label_number": (
        "a label is not a number: score its labels with `match`, or compare it with `=` or `!=`",
        "选项不是数值：请用 `match` 为各选项计分，或用 `=`、`!=` 比较",
    ),
    "date_number": (
        "a date is read through the time between two dates: `days(FROM, TO)`, `months(FROM, TO)`",
        "日期须通过两个日期之间的时间取值：`days(起始日期, 截止日期)`、`months(起始日期, 截止日期)`",
    ),
    "no_order": (
        "{found} has no order: compare it with `=` or `!=`",
        "{found_zh}没有大小之分：只能用 `=` 或 `!=` 比较",
    ),
    "need_condition": (
        "write a condition: a comparison such as `满意度 >= 80%`, or a yes/no value",
        "请写成条件：比较式（如 `满意度 >= 80%`）或是/否值",
    ),
    "no_bounds": (
        "only a number input takes bounds: delete them",
        "只有数值型输入项可以限定取值范围：请删去",
    ),
    "declare_percent": (
        "bounds in % are a percent's: if `{name}` is a ratio, declare it `input {name}: {kind}`; else write the bound without `%`",
        "以 % 限定的是百分比：若 `{name}` 是比率，请声明为 `input {name}: {kind}`；否则去掉 `%`",
    ),
    "match_label": (
        "`match` reads a label input (`label {{…}}`); score a number with `bands` or `when`",
        "`match` 只用于选项型输入项（`label {{…}}`）；数值请用 `bands` 或 `when` 计分",
    ),
    "match_let_label": (
        "`match` reads a label input itself, not a `let` that passes one on: write `match {name} {{…}}` on the input",
        "`match` 只用于选项型输入项本身，不用于转述它的计算值：请对该输入项写 `match {name} {{…}}`",
    ),
    "match_let_worked": (
        "`match` reads a label input itself, not a value worked out from labels: match each label input it reads",
        "`match` 只用于选项型输入项本身，不用于由选项算出的值：请对它所读的选项型输入项分别写 `match`",
    ),
    "match_bool": (
        "`match` reads a label input (`label {{…}}`); score a yes/no value with `award N if {name}` or `when {name} -> N`",
        "`match` 只用于选项型输入项（`label {{…}}`）；是/否值请用 `award 分数 if {name}` 或 `when {name} -> 分数` 计分",
    ),
    "match_date": (
        "`match` reads a label input (`label {{…}}`); score a date by the days to it: `bands days({name}, TO) {{…}}`",
        "`match` 只用于选项型输入项（`label {{…}}`）；日期请按间隔天数计分：`bands days({name}, 截止日期) {{…}}`",
    ),
    "one_value": ("`abs` takes one value: `abs(A - B)`", "`abs` 只接受一个值：`abs(A - B)`"),
    "add_band": (
        "a gap is most often a typo: fix the ends of the bands beside {witness};"
        " add a band for it only if it truly scores otherwise",
        "缺口多半是笔误：请修正 {witness} 两侧分档的端点；确需另行计分时再为它增加分档",
    ),
    "open_end": (
        "make one end open so that {witness} is in one band only: e.g. write `{fixed}` for `{changed}`",
        "将其中一端改为开区间，使 {witness} 只属于一个分档：例如把 `{changed}` 改为 `{fixed}`",
    ),
    "overlap_range": (
        "`{other}` and `{band}` share more than one value: move their ends so that one band begins where the other ends",
        "`{other}` 与 `{band}` 有一段重叠：调整两者的端点，使一个分档的起点正好是另一个的终点",
    ),
    "outside_domain": ("remove the band, or widen the input's declared domain", "删除该分档，或放宽输入项的取值范围"),
    "remove_else": ("remove `else`, or keep it as a guard against later edits", "可删除 `else`，或保留以防日后修改"),
    "never_in_domain": ("`{subject}` only takes {domain}", "`{subject}` 的取值范围是 {domain}"),
    "earlier_arms": (
        "the arms before it already take every value of `{subject}` it would",
        "前面的条件已覆盖它会取到的全部 `{subject}` 值",
    ),
    "same_condition": ("an earlier arm has the same condition", "前面已有相同的条件"),
    "add_else": ("add `else -> POINTS` at the end", "在末尾增加 `else -> 分数`"),
    "full_marks": (
        "check the bands, awards and points: no record can get full marks",
        "检查分档、加分项和分数：任何记录都无法得满分",
    ),
    "constant_score": ("the score does not depend on the data: check the rule", "得分与数据无关，请检查规则"),
    "declare_positive": (
        "declare the input with `> 0`: `input {divisor}: {type} > 0`",
        "将输入项声明为 `> 0`：`input {divisor}: {type} > 0`",
    ),
    "guard_divisor": (
        "declare the inputs' domains so the divisor cannot be 0, or use `max(…, 1)`",
        "声明输入项取值范围使除数不为 0，或使用 `max(…, 1)`",
    ),
    "grade_above_total": ("no total reaches it: the rubric's total is {total}", "总分最高为 {total}，达不到该等次"),
    "grade_rounded": (
        "the total is rounded to {places} decimals before it is graded: every total it would take, such as {witness},"
        " goes to `{other}` first",
        "总分先按 {places} 位小数舍入再评定等次：该等次可能得到的总分（如 {witness}）都先被评为 `{other}`",
    ),
    "grade_order": (
        "a total of {witness} goes to `{other}` first, as does every total it would take;"
        " list grades from the highest threshold down",
        "总分 {witness} 先被评为 `{other}`，它的全部分数段都已被前面的等次占用；请按分数线从高到低排列",
    ),
    "applies_needs_input": (
        "give the row a condition: `applies if COND else full`",
        "为该项写明适用条件：`applies if 条件 else full`",
    ),
    "top_may_drop": (
        "give at least one top-level row no `applies … else rescale`, or accept that such a record is refused",
        "至少保留一个不会折算剔除的一级指标，或接受此类记录无法评分",
    ),
    "grade_otherwise": ("add `grade NAME otherwise` for the lowest grade", "为最低等次增加 `grade 名称 otherwise`"),
    "counting": (
        "say how a part of a step counts: `counting proportional` (2.5 steps count as 2.5),"
        " `counting whole` (as 2) or `counting started` (as 3)",
        "请写明不足一步的部分如何计算：`counting proportional`（按比例，2.5 步计 2.5 步）、"
        "`counting whole`（只计整步，计 2 步）或 `counting started`（不足一步按一步计，计 3 步）",
    ),
    "labels": ("the labels are {labels}", "可选项为 {labels}"),
    "batch_inputs": (
        "write the expression over inputs: `batch min(报价)`, `batch mean(完成数 / 计划数)`",
        "只用输入项写表达式：`batch min(报价)`、`batch mean(完成数 / 计划数)`",
    ),
    "write_pending": (
        "write the row in a file that `extends` this one, with the criteria as set",
        "标准制定后，在 `extends` 本文件的文件中写出该指标",
    ),
    "two_dates": (
        "write `{func}(FROM, TO)`, both inputs declared `date`",
        "写作 `{func}(起始日期, 截止日期)`，两者都是声明为 `date` 的输入项",
    ),
    "date_compare": (
        "compare the time between them: `days(FROM, TO) > 0`, `months(FROM, TO) <= 3`",
        "比较两者之间的时间：`days(起始日期, 截止日期) > 0`、`months(起始日期, 截止日期) <= 3`",
    ),
    "panel_call": (
        "write `{func}(NAME)`, NAME an input declared `list of score` (or of another number type)",
        "写作 `{func}(名称)`，名称为声明为 `list of score`（或其他数值类型）的输入项",
    ),
    "panel_read": (
        "read `{name}` as one number: `mean({name})`, `median({name})`, `trimmed_mean({name})`, …",
        "请先把 `{name}` 化为一个数：`mean({name})`、`median({name})`、`trimmed_mean({name})` 等",
    ),
    "panel_numeric": ("declare it `list of score` (or number, percent, amount, count)", "声明为 `list of score`（或 number、percent、amount、count）"),
    "panel_size": ("write the number of experts, e.g. `list of 5 score`", "写明评委人数，例如 `list of 5 score`"),
    "declare_score": ("declare it as `input {name}: score`", "声明为 `input {name}: score`"),
    "placeholders": (
        "placeholders are {names}, or the name of an input or `let` value; write `{{{{` and `}}}}` for braces",
        "可用的占位符有 {names} 以及输入项或计算值的名称；花括号本身写作 `{{{{` 和 `}}}}`",
    ),
    "header": ('start the file with `rubric "名称" {{ total 100 }}`', '在文件开头写 `rubric "名称" {{ total 100 }}`'),
    "use_comparison": ("use >=, >, <=, < or = in a band", "分档请使用 >=、>、<=、< 或 ="),
    "grade_comparison": (
        "a grade takes totals from a threshold: `grade 优秀 >= 90`",
        "等次按总分下限划分，例如 `grade 优秀 >= 90`",
    ),
    "bound_comparison": (
        "bound an input with >=, >, <= or <, e.g. `count > 0`",
        "输入项范围请使用 >=、>、<= 或 <，例如 `count > 0`",
    ),
    "grade_points": (
        "grades compare the total in points: write `90`, not `90%`",
        "等次按总分（分）划分：写 `90` 而不是 `90%`",
    ),
    "counted_percent": (
        "a percent is deducted per percentage point: `deduct R per 1pp of {name} below 100%`",
        "百分比应按百分点扣分：`deduct R per 1pp of {name} below 100%`",
    ),
    "keep_one": ("keep one; the last one would win", "只保留一个（否则以最后一个为准）"),
    "band_order": ("write the lower end first, e.g. `[80%, 90%)`", "先写下限，例如 `[80%, 90%)`"),
    "example_names": ("the examples are {names}", "已有的示例：{names}"),
    "break_from": ("start from an example that does not lead back here", "请让 from 指向不会回到这里的示例"),
    "add_expect": (
        "add `expect NODE = POINTS`, `expect total = POINTS` or `expect grade = NAME`",
        "添加 `expect 指标 = 分数`、`expect total = 分数` 或 `expect grade = 等次`",
    ),
    "split_example": ("make the expected error an example of its own", "将预期出错的情形单独写成一个示例"),
    "give_inputs": (
        "add it to `given`, or start `from` an example that gives it",
        "在 `given` 中给出它，或用 `from` 从给出它的示例开始",
    ),
    "given_fit": (
        "give a value the input takes, or expect the refusal: `expect error on INPUT`",
        "给出该输入项可取的值，或预期该记录被拒绝：`expect error on 输入项`",
    ),
    "not_a_let": (
        "`{name}` is computed by `let`: use the inputs it is computed from",
        "`{name}` 由 `let` 计算得出，请改用计算它所用的输入项",
    ),
    "node_or_total": ("name a group or an indicator, or `total`", "请写分组或指标的名称，或写 `total`"),
    "score_points": ("scores are points: write `5`, not `5%`", "得分以分计：写 `5` 而不是 `5%`"),
    "score_range": ("expect a score between 0 and {max}", "预期得分应在 0 到 {max} 之间"),
    "grades": ("the grades are {grades}", "评价等次有：{grades}"),
    "data_codes": ("an example can expect {codes}", "示例可预期的错误代码：{codes}"),
    "monotone_input": (
        "vary a number or a yes/no input, or state a claim: `property NODE = POINTS when {name} = LABEL`",
        "请改用数值或是/否型输入项，或写成断言：`property 指标 = 分数 when {name} = 选项`",
    ),
    "monotone_panel": (
        "vary a number or a yes/no input; a panel's scores can be raised one by one, so no one of its lists is higher than another",
        "请改用数值或是/否型输入项；评分列表中的各个评分可以分别提高，列表之间没有高低之分",
    ),
}

# Words for the units and kinds that messages name.
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "percent": ("a percent", "百分比"),
    "amount": ("an amount", "金额"),
    "count": ("a count", "数量"),
    "number": ("a number", "数值"),
    "score": ("a score", "评价分"),
    "bool": ("a yes/no value", "是/否值"),
    "label": ("a label", "选项"),
    "date": ("a date", "日期"),
    "pp": ("percentage points", "百分点"),
}

ACTION_WORDS: dict[str, tuple[str, str]] = {
    "compare": ("compare", "比较"),
    "add": ("add", "加减"),
    "multiply": ("multiply", "乘法运算"),
    "divide": ("divide", "除法运算"),
    "combine": ("combine", "运算"),
}


_WORD_KEYS = {"action", "left", "right", "unit", "expected", "found"}


def _localized(args: Mapping[str, object], lang: Lang) -> dict[str, object]:
    """Add `<key>_zh` variants of unit/action words so templates can name them."""
    out = dict(args)
    for key, value in args.items():
        if isinstance(value, OSReason):  # the system's reason, in the message's language under either key
            out[key] = out[f"{key}_zh"] = value.text(lang)
            continue
        table = ACTION_WORDS if key == "action" else UNIT_WORDS
        if key in _WORD_KEYS and isinstance(value, str) and value in table:
            en, zh = table[value]
            out[key] = en
            out[f"{key}_zh"] = zh
        out.setdefault(f"{key}_zh", value)
    return out


# A number of more digits than this is quoted by its ends and its count of digits: a rule or
# data value of a million digits (`1` and 10^6 zeros, 1E+999999 written out) made a message of
# a megabyte. Every message and hint passes through here, whatever value put the digits in.
_LONGEST_NUMBER = 40
_NUMBER = re.compile(r"[0-9][0-9,.]*[0-9]")


def _elided(number: re.Match[str], lang: Lang) -> str:
    text = number.group()
    count = sum(c.isdigit() for c in text)
    if count <= _LONGEST_NUMBER:
        return text
    return f"{text[:12]}…{text[-6:]}" + (f"（共 {count} 位）" if lang == "zh" else f" ({count} digits)")


def _bounded(text: str, lang: Lang) -> str:
    """`text` with each number of more than _LONGEST_NUMBER digits shortened (`_elided`)."""
    if len(text) <= _LONGEST_NUMBER:
        return text
    return _NUMBER.sub(lambda number: _elided(number, lang), text)


class _Counted(str):
    """A value as a message shows it, where a noun as its format counts: `{places:place}` is
    `1 place` or `2 places` (English says one alone in the singular; 中文 needs no such thing)."""

    __slots__ = ()

    def __format__(self, format_spec: str) -> str:
        return counted(self, format_spec) if format_spec.isalpha() else super().__format__(format_spec)


def _fill(template: str, args: Mapping[str, object], lang: Lang) -> str:
    filled = template.format(**{key: _Counted(value) for key, value in _localized(args, lang).items()})
    return _bounded(filled, lang)


# A code's second wording, where one refusal has two causes a reader must tell apart: the caller
# names it (`message`'s `wording`), never a message's values — `{form}` is PF802's own value, and
# a wording chosen by it made every `pingfen sql` refusal a KeyError.
WORDINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("PF850", "hidden"): (
        "`{path}` names a hidden file or folder (a name starting with `.`): the workbench opens none",
        "`{path}` 指向隐藏文件或隐藏文件夹（名称以 `.` 开头）：工作台不打开此类文件",
    ),
    # a name that goes through a folder that is none (`nosuch/../a.rule`), or names a file as a folder (`a.rule/`)
    ("PF851", "folder"): ("there is no folder `{path}` in the folder", "文件夹中没有子文件夹 `{path}`"),
}


def message(code: str, lang: Lang, args: Mapping[str, object], wording: str | None = None) -> str:
    en, zh = MESSAGES[code] if wording is None else WORDINGS[code, wording]
    # checked: "zh-CN" would otherwise be read as English (a ValueError, as evaluate's lang)
    return _fill(zh if checked(lang) == "zh" else en, args, lang)


def hint(key: str, lang: Lang, args: Mapping[str, object]) -> str:
    en, zh = HINTS[key]
    return _fill(zh if checked(lang) == "zh" else en, args, lang)
