// System Health Rollup presets: rows, headline scores, notes and the Vega-Lite heatmap.
local foms = import 'foms.libsonnet';
local health = import 'health.libsonnet';

local testsPassing = foms.byMetric['health.ci.tests_passing.fom'];
local gpu = foms.byMetric['health.training.gpu_utilization.fom'];

local publishedRow = health.row(testsPassing, 'published').definition;
local inlineRow = health.row(gpu, 'inline').definition;
local heatmap = health.heatmap('Rollup', [health.areas.ci, health.areas.eval]).definition;
local spec = heatmap.specification.contents;

{
  sevenDaysTodayFirst: std.assertEqual(health.dayLabels, ['today', '-1d', '-2d', '-3d', '-4d', '-5d', '-6d']),

  areasInRollupOrder: std.assertEqual(
    [[health.areas[k].title, std.length(health.areas[k].decls), health.areas[k].source] for k in health.areaOrder],
    [['CI/CD', 7, 'published'], ['Training', 7, 'inline'], ['Eval', 5, 'inline']],
  ),

  queryNameFromTheMetric: std.assertEqual(
    [health.queryName(testsPassing), health.queryName(gpu)],
    ['ci_tests_passing', 'training_gpu_utilization'],
  ),

  rowTitleIsTheFomAndTheSectionSaysTheSource: std.assertEqual(
    [publishedRow.title, inlineRow.title, health.sectionTitle(health.areas.ci), health.sectionTitle(health.areas.eval)],
    ['Tests Passing', 'GPU Utilization', 'CI/CD (7 FoMs, published)', 'Eval (5 FoMs, computed from raw metrics)'],
  ),

  rowDescriptionSaysTheSource: std.assertEqual(
    [std.length(std.findSubstr('written by the FoM collector', publishedRow.description)) > 0,
     std.length(std.findSubstr('FoM collector pending', inlineRow.description)) > 0],
    [true, true],
  ),

  rowIsAOneDayTableWithADayColumnEach: std.assertEqual(
    [publishedRow.type, publishedRow.time, publishedRow.has_search_bar, std.length(publishedRow.requests),
     [f.alias for f in publishedRow.requests[0].formulas]],
    ['query_table', { live_span: '1d' }, 'never', 1, health.dayLabels],
  ),

  rowLinksToItsDetailDashboardAndRunbook: std.assertEqual(
    [l.label for l in publishedRow.custom_links],
    ['Open GitHub CI/CD', 'How FoMs are computed'],
  ),

  publishedRowReadsTheFomShiftedByDay: std.assertEqual(
    [publishedRow.requests[0].queries, [f.formula for f in publishedRow.requests[0].formulas][0:3]],
    [
      [{ data_source: 'metrics', name: 'fom', query: 'avg:health.ci.tests_passing.fom{*}', aggregator: 'last' }],
      ['fom', 'timeshift(fom, -86400)', 'timeshift(fom, -172800)'],
    ],
  ),

  inlineRowComputesTheFomFromTheRawMetric: std.assertEqual(
    [inlineRow.requests[0].queries[0].query, inlineRow.requests[0].formulas[6].formula],
    ['avg:wandb.training.gpu_utilization_avg{*}', 'clamp_min(clamp_max(timeshift(fom, -518400) / 80, 1), 0)'],
  ),

  everyDayColumnHasTheTrafficLight: std.assertEqual(
    std.uniq([f.conditional_formats for f in publishedRow.requests[0].formulas]),
    [[
      { comparator: '>=', value: 0.7, palette: 'white_on_green' },
      { comparator: '>=', value: 0.3, palette: 'white_on_yellow' },
      { comparator: '<', value: 0.3, palette: 'white_on_red' },
    ]],
  ),

  rowsOfAnArea: std.assertEqual(std.length(health.rows(health.areas.eval)), 5),

  headlineIsTheAreaMeanToday: std.assertEqual(
    local h = health.headline('CI/CD Health', foms.ci, 'published').definition;
    [h.type, h.time, std.length(h.requests[0].queries), h.requests[0].formulas[0].formula,
     std.set([q.aggregator for q in h.requests[0].queries])],
    ['query_value', { live_span: '1d' }, 7, '(f0 + f1 + f2 + f3 + f4 + f5 + f6) / 7', ['last']],
  ),

  headlinesOfEveryArea: std.assertEqual(
    [h.definition.title for h in health.headlines()],
    ['CI/CD Health', 'Training Health', 'Eval Health'],
  ),

  legendNamesEveryColour: std.assertEqual(
    [std.length(std.findSubstr(s, health.legend().definition.content)) > 0
     for s in ['FoM scale', 'Green 0.7-1.0', 'Yellow 0.3-0.7', 'Red 0.0-0.3', 'Gray']],
    [true, true, true, true, true],
  ),

  quickLinksAreMarkdownLinks: std.assertEqual(
    health.quickLinks([['Skypilot Jobs', 'skypilot_jobs']]).definition.content,
    '**Quick links**\n- [Skypilot Jobs](/dashboard/jkl-mno-pqr)\n- Runbook: [how FoMs are computed]('
    + 'https://github.com/Metta-AI/metta/blob/main/devops/datadog/docs/HEALTH_DASHBOARD_SPEC.md)',
  ),

  heatmapHasOneQueryPerFomAndOneFormulaPerCell: std.assertEqual(
    [heatmap.type, heatmap.time, std.length(heatmap.requests), std.length(heatmap.requests[0].queries),
     std.length(heatmap.requests[0].formulas), heatmap.requests[0].response_format],
    // 7 CI FoMs and 5 eval FoMs, two of them (hearts) read through two queries.
    ['wildcard', { live_span: '1d' }, 1, 14, 84, 'scalar'],
  ),

  heatmapAliasesNameFomAndDay: std.assertEqual(
    [[f.alias, f.formula] for f in heatmap.requests[0].formulas[0:2]],
    [['CI/CD|Tests Passing|today', 'ci_tests_passing'], ['CI/CD|Tests Passing|-1d', 'timeshift(ci_tests_passing, -86400)']],
  ),

  specIsWrappedVegaLiteOverTable1: std.assertEqual(
    [heatmap.specification.type, spec.data],
    ['vega-lite', { name: 'table1' }],
  ),

  specFoldsExactlyTheFormulaAliases: std.assertEqual(
    spec.transform[0].fold,
    [f.alias for f in heatmap.requests[0].formulas],
  ),

  specSortsDaysAndFomsInRollupOrder: std.assertEqual(
    [spec.encoding.x.sort, spec.encoding.y.sort],
    [health.dayLabels, ['CI/CD · ' + d.title for d in foms.ci] + ['Eval · ' + d.title for d in foms.eval]],
  ),

  specColoursByTheFomThresholds: std.assertEqual(
    local color = spec.layer[0].encoding.color;
    [spec.layer[0].mark.type, color.scale, color.condition.value],
    ['rect', { type: 'threshold', domain: [0.3, 0.7], range: ['#DC3545', '#FFC107', '#28A745'] }, '#6C757D'],
  ),

  specLabelsCellsWithTwoDecimals: std.assertEqual(
    local text = spec.layer[1].encoding.text;
    [spec.layer[1].mark.type, text.field, text.format, text.condition.value],
    ['text', 'fom', '.2f', 'no data'],
  ),
}
