-- The 2021 rubric (rulesets/dept-overall-2021.rule) written by hand in DuckDB, exactly: the second baseline
-- of benchmarks/duckdb_hand.py, for a table typed as a warehouse types it (counts BIGINT, amounts and
-- scores DECIMAL(18, 2), percents DECIMAL(18, 4) as ratios). No float anywhere: a quotient's score is told
-- at its two ends on the integers (in_staff <= staff: full marks; in_staff * 10 >= staff * 11: none) and
-- worked out between them by an integer division at 20 decimals, as the engine does; every other score is
-- DuckDB's own DECIMAL arithmetic, which is exact; the total round(…, 2) (half away from zero: half up for
-- a total that cannot be negative). The inputs are checked as pingfen checks them (missing, below 0,
-- outside a bound, 10^14 and more), a refused row's total and grade NULL and a code in `refusal` (roughly
-- the engine's: a missing and a negative value share one test here). What it leaves out: the refused
-- input's name, settling a total to 16 decimals before rounding it (a tie reached
-- through a quotient), and every other rubric: it is the 2021 one, by hand.
SELECT id, s1, s2, s3, g11, s4, s5, s6, s7, g21, s8, s9, s10, s11, s12, g22, s13, s14, s15, g23,
  j1, j2, j3, j4, j5, j6, g31, j7, j8, j9, s16, g41,
  g11 AS 投入, g21 + g22 + g23 AS 过程, g31 AS 产出, g41 AS 效果, CASE WHEN bad IS NULL THEN total END AS total,
  CASE WHEN bad IS NOT NULL THEN NULL WHEN total >= 90 THEN '优秀' WHEN total >= 80 THEN '良好' WHEN total >= 60 THEN '中' ELSE '差' END AS grade,
  bad AS refusal
FROM (SELECT *, round(g11 + g21 + g22 + g23 + g31 + g41, 2) AS total FROM (SELECT *,
  s1 + s2 + s3 AS g11, s4 + s5 + s6 + s7 AS g21, s8 + s9 + s10 + s11 + s12 AS g22, s13 + s14 + s15 AS g23,
  j1 + j2 + j3 + j4 + j5 + j6 AS g31, j7 + j8 + j9 + s16 AS g41
FROM (SELECT id,
  CASE WHEN "在职人数" <= "编制人数" THEN 5::DECIMAL(38,20) WHEN "在职人数" * 10 >= "编制人数" * 11 THEN 0::DECIMAL(38,20)
       ELSE 5::DECIMAL(38,20) - CAST((50 * ("在职人数" - "编制人数"))::HUGEINT * 100000000000000000000::HUGEINT // "编制人数" AS DECIMAL(38,0)) * 0.00000000000000000001::DECIMAL(38,20) END AS s1,
  CASE WHEN "本年三公经费" <= "上年三公经费" THEN 5::DECIMAL(38,20) WHEN "本年三公经费" * 10 >= "上年三公经费" * 11 THEN 0::DECIMAL(38,20)
       ELSE 5::DECIMAL(38,20) - CAST((50 * ("本年三公经费" - "上年三公经费") * 100)::HUGEINT * 100000000000000000000::HUGEINT // ("上年三公经费" * 100)::BIGINT AS DECIMAL(38,0)) * 0.00000000000000000001::DECIMAL(38,20) END AS s2,
  CASE WHEN "重点支出安排率" >= 0.9 THEN 5 WHEN "重点支出安排率" >= 0.8 THEN 4 WHEN "重点支出安排率" >= 0.7 THEN 3 WHEN "重点支出安排率" >= 0.6 THEN 2 ELSE 0 END AS s3,
  CASE WHEN "预算调整率" = 0 THEN 3 WHEN "预算调整率" <= 0.1 THEN 2 WHEN "预算调整率" <= 0.2 THEN 1 WHEN "预算调整率" <= 0.3 THEN 0.5 ELSE 0 END AS s4,
  greatest(0, 3 - 0.5 * "未按进度下达专项数") AS s5,
  CASE WHEN "结余" = 0 THEN 3 WHEN "结余" <= "上年结转" THEN 2 ELSE 0 END AS s6,
  CASE WHEN "本年三公经费" <= "三公经费预算数" THEN 6::DECIMAL(38,20) WHEN "本年三公经费" * 100 >= "三公经费预算数" * 106 THEN 0::DECIMAL(38,20)
       ELSE 6::DECIMAL(38,20) - CAST((100 * ("本年三公经费" - "三公经费预算数") * 100)::HUGEINT * 100000000000000000000::HUGEINT // ("三公经费预算数" * 100)::BIGINT AS DECIMAL(38,0)) * 0.00000000000000000001::DECIMAL(38,20) END AS s7,
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
  CASE WHEN "满意度" >= 0.95 THEN 5 WHEN "满意度" >= 0.85 THEN 3 WHEN "满意度" >= 0.75 THEN 1 ELSE 0 END AS s16,
  CASE WHEN "在职人数" IS NULL OR "在职人数" < 0 THEN 'PF501' WHEN "编制人数" IS NULL OR "编制人数" <= 0 THEN 'PF503'
       WHEN "本年三公经费" IS NULL THEN 'PF501' WHEN "上年三公经费" IS NULL OR "三公经费预算数" IS NULL THEN 'PF501' WHEN "上年三公经费" <= 0 OR "三公经费预算数" <= 0 THEN 'PF503'
       WHEN "重点支出安排率" IS NULL OR "重点支出安排率" < 0 THEN 'PF503' WHEN "预算调整率" IS NULL OR "预算调整率" < 0 THEN 'PF503'
       WHEN "未按进度下达专项数" IS NULL OR "未按进度下达专项数" < 0 THEN 'PF503' WHEN "结余" IS NULL OR "上年结转" IS NULL THEN 'PF501'
       WHEN "已制定预算管理制度" IS NULL OR "预算管理制度合法合规" IS NULL OR "预算管理制度有效执行" IS NULL OR "按规定内容公开" IS NULL OR "按规定时限公开" IS NULL OR "基础数据真实" IS NULL OR "基础数据完整" IS NULL OR "基础数据准确" IS NULL OR "资产管理制度健全" IS NULL OR "资产管理制度有效执行" IS NULL THEN 'PF501'
       WHEN "资金使用不合规例数" IS NULL OR "资金使用不合规例数" < 0 OR "资产管理不合规例数" IS NULL OR "资产管理不合规例数" < 0 THEN 'PF503'
       WHEN "政府采购执行率" IS NULL OR "政府采购执行率" < 0 OR "公务卡刷卡率" IS NULL OR "公务卡刷卡率" < 0 OR "固定资产利用率" IS NULL OR "固定资产利用率" < 0 THEN 'PF503'
       WHEN "满意度" IS NULL OR "满意度" < 0 OR "满意度" > 1 THEN 'PF503'
       WHEN "推进全面小康建设指标任务完成情况" IS NULL OR "建设湖南新增极目标任务完成情况" IS NULL OR "《政府工作报告》目标任务完成情况" IS NULL
         OR "省市区民生实事完成情况" IS NULL OR "省市区重点工程和重大项目建设完成情况" IS NULL OR "其他工作实绩指标完成情况" IS NULL
         OR "经济效益" IS NULL OR "社会效益" IS NULL OR "生态效益" IS NULL THEN 'PF501'
       WHEN NOT ("推进全面小康建设指标任务完成情况" BETWEEN 0 AND 5) OR NOT ("建设湖南新增极目标任务完成情况" BETWEEN 0 AND 7) OR NOT ("《政府工作报告》目标任务完成情况" BETWEEN 0 AND 5)
         OR NOT ("省市区民生实事完成情况" BETWEEN 0 AND 2) OR NOT ("省市区重点工程和重大项目建设完成情况" BETWEEN 0 AND 2) OR NOT ("其他工作实绩指标完成情况" BETWEEN 0 AND 4)
         OR NOT ("经济效益" BETWEEN 0 AND 5) OR NOT ("社会效益" BETWEEN 0 AND 5) OR NOT ("生态效益" BETWEEN 0 AND 5) THEN 'PF503'
       WHEN abs("在职人数") >= 100000000000000 OR abs("编制人数") >= 100000000000000 OR abs("未按进度下达专项数") >= 100000000000000
         OR abs("资金使用不合规例数") >= 100000000000000 OR abs("资产管理不合规例数") >= 100000000000000 OR abs("本年三公经费") >= 100000000000000
         OR abs("上年三公经费") >= 100000000000000 OR abs("三公经费预算数") >= 100000000000000 OR abs("结余") >= 100000000000000
         OR abs("上年结转") >= 100000000000000 THEN 'PF800'
  END AS bad
FROM records)))
