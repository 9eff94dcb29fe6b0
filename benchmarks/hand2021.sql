-- The 2021 rubric (rulesets/dept-overall-2021.rule) as an analyst would write it in DuckDB, the baseline
-- of benchmarks/duckdb_hand.py: one expression a rule, DuckDB's own arithmetic (a DECIMAL divided by a
-- DECIMAL is a DOUBLE), no input checks, no refusals, the total round(…, 2). Not exact: its floats
-- put some totals 0.01 off (the benchmark counts them).
SELECT id, s1, s2, s3, g11, s4, s5, s6, s7, g21, s8, s9, s10, s11, s12, g22, s13, s14, s15, g23,
  j1, j2, j3, j4, j5, j6, g31, j7, j8, j9, s16, g41,
  g11 AS 投入, g21 + g22 + g23 AS 过程, g31 AS 产出, g41 AS 效果, total,
  CASE WHEN total >= 90 THEN '优秀' WHEN total >= 80 THEN '良好' WHEN total >= 60 THEN '中' ELSE '差' END AS grade
FROM (SELECT *, round(g11 + g21 + g22 + g23 + g31 + g41, 2) AS total FROM (SELECT *,
  s1 + s2 + s3 AS g11, s4 + s5 + s6 + s7 AS g21, s8 + s9 + s10 + s11 + s12 AS g22, s13 + s14 + s15 AS g23,
  j1 + j2 + j3 + j4 + j5 + j6 AS g31, j7 + j8 + j9 + s16 AS g41
FROM (SELECT id,
  greatest(0, 5 - 50 * greatest(0, "在职人数" / "编制人数" - 1)) AS s1,
  greatest(0, 5 - 50 * greatest(0, ("本年三公经费" - "上年三公经费") / "上年三公经费")) AS s2,
  CASE WHEN "重点支出安排率" >= 0.9 THEN 5 WHEN "重点支出安排率" >= 0.8 THEN 4 WHEN "重点支出安排率" >= 0.7 THEN 3 WHEN "重点支出安排率" >= 0.6 THEN 2 ELSE 0 END AS s3,
  CASE WHEN "预算调整率" = 0 THEN 3 WHEN "预算调整率" <= 0.1 THEN 2 WHEN "预算调整率" <= 0.2 THEN 1 WHEN "预算调整率" <= 0.3 THEN 0.5 ELSE 0 END AS s4,
  greatest(0, 3 - 0.5 * "未按进度下达专项数") AS s5,
  CASE WHEN "结余" = 0 THEN 3 WHEN "结余" <= "上年结转" THEN 2 ELSE 0 END AS s6,
  greatest(0, 6 - 100 * greatest(0, "本年三公经费" / "三公经费预算数" - 1)) AS s7,
  CAST("已制定预算管理制度" AS INT) + CAST("预算管理制度合法合规" AS INT) + CAST("预算管理制度有效执行" AS INT) AS s8,
  greatest(0, 3 - "资金使用不合规例数") AS s9,
  CASE WHEN "按规定内容公开" THEN 1 ELSE 0 END + 0.5 * (CAST("按规定时限公开" AS INT) + CAST("基础数据真实" AS INT) + CAST("基础数据完整" AS INT) + CAST("基础数据准确" AS INT)) AS s10,
  greatest(0, 3 - 20 * greatest(0, 1 - "政府采购执行率")) AS s11,
  greatest(0, 3 - 20 * greatest(0, 0.5 - "公务卡刷卡率")) AS s12,
  2 * CAST("资产管理制度健全" AS INT) + CAST("资产管理制度有效执行" AS INT) AS s13,
  greatest(0, 4 - "资产管理不合规例数") AS s14,
  greatest(0, 3 - 10 * greatest(0, 1 - "固定资产利用率")) AS s15,
  "推进全面小康建设指标任务完成情况" AS j1, "建设湖南新增极目标任务完成情况" AS j2, "《政府工作报告》目标任务完成情况" AS j3,
  "省市区民生实事完成情况" AS j4, "省市区重点工程和重大项目建设完成情况" AS j5, "其他工作实绩指标完成情况" AS j6,
  "经济效益" AS j7, "社会效益" AS j8, "生态效益" AS j9,
  CASE WHEN "满意度" >= 0.95 THEN 5 WHEN "满意度" >= 0.85 THEN 3 WHEN "满意度" >= 0.75 THEN 1 ELSE 0 END AS s16
FROM records)))
