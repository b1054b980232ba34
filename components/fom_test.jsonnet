// FoM declarations: one per row of fom.md, each yielding a published query and an inline formula.
local fom = import 'fom.libsonnet';
local foms = import 'foms.libsonnet';

local metrics = [d.metric for d in foms.all];

{
  counts: std.assertEqual([std.length(foms.ci), std.length(foms.training), std.length(foms.eval)], [7, 7, 5]),

  metricsAreUniqueHealthFoms: std.assertEqual(
    [std.length(std.set(metrics)), std.all([std.startsWith(m, 'health.') && std.endsWith(m, '.fom') for m in metrics])],
    [19, true],
  ),

  ciOrderFollowsTheRollup: std.assertEqual(
    [d.metric for d in foms.ci],
    ['health.ci.tests_passing.fom', 'health.ci.failing_workflows.fom', 'health.ci.hotfix_count.fom',
     'health.ci.revert_count.fom', 'health.ci.duration_p90.fom', 'health.ci.stale_prs.fom',
     'health.ci.pr_cycle_time.fom'],
  ),

  linearFewerIsBetter: std.assertEqual(
    fom.formula(foms.byMetric['health.ci.failing_workflows.fom'], 'raw'),
    'clamp_min(clamp_max((5 - raw) / 5, 1), 0)',
  ),

  linearMoreIsBetter: std.assertEqual(
    fom.formula(foms.byMetric['health.training.gpu_utilization.fom'], 'raw'),
    'clamp_min(clamp_max(raw / 80, 1), 0)',
  ),

  linearWithOffset: std.assertEqual(
    fom.formula(foms.byMetric['health.ci.duration_p90.fom'], 'raw'),
    'clamp_min(clamp_max((10 - raw) / 7, 1), 0)',
  ),

  binaryPositive: std.assertEqual(
    fom.formula(foms.byMetric['health.ci.tests_passing.fom'], 'x'),
    'clamp_min(clamp_max(x * 1000000, 1), 0)',
  ),

  binaryZero: std.assertEqual(
    fom.formula(foms.byMetric['health.eval.local_run_success.fom'], 'x'),
    '1 - clamp_max(abs(x) * 1000000, 1)',
  ),

  absDelta: std.assertEqual(
    fom.formula(foms.byMetric['health.eval.remote_hearts_accuracy.fom'], 'x'),
    'clamp_min(1 - abs(x) / 20, 0)',
  ),

  rawSpaceFollowsTheMetric: std.assertEqual(
    [fom.rawQuery(foms.byMetric['health.ci.hotfix_count.fom']), fom.rawQuery(foms.byMetric['health.ci.stale_prs.fom'], '$env')],
    ['sum:github.commits.hotfix{*}', 'avg:github.prs.stale_count_14d{$env}'],
  ),

  inlineReadsTheRawMetricShifted: std.assertEqual(
    fom.inline(foms.byMetric['health.ci.revert_count.fom'], 'raw', 2),
    {
      queries: [{ data_source: 'metrics', name: 'raw', query: 'sum:github.commits.reverts{*}' }],
      formula: { formula: 'clamp_min(clamp_max((2 - timeshift(raw, -172800)) / 2, 1), 0)', alias: 'Revert Count' },
    },
  ),

  publishedReadsTheFomMetric: std.assertEqual(
    fom.published(foms.byMetric['health.ci.revert_count.fom'], 'f', 1),
    {
      queries: [{ data_source: 'metrics', name: 'f', query: 'avg:health.ci.revert_count.fom{*}' }],
      formula: { formula: 'timeshift(f, -86400)', alias: 'Revert Count' },
    },
  ),

  cellIsColouredQueryValue: std.assertEqual(
    local cell = fom.queryValue(foms.ci[0], 'published').definition;
    [cell.type, cell.title, cell.requests[0].response_format, std.length(cell.requests[0].conditional_formats)],
    ['query_value', 'Tests Passing', 'scalar', 3],
  ),

  chartIsAreaOnUnitRange: std.assertEqual(
    local chart = fom.timeseries(foms.ci[1]).definition;
    [chart.requests[0].display_type, chart.yaxis, [m.value for m in chart.markers]],
    ['area', { min: '0', max: '1' }, ['y = 0.7', 'y = 0.3']],
  ),

  averageOfPublished: std.assertEqual(
    fom.averageFormula(foms.ci[0:3], 'published'),
    '(f0 + f1 + f2) / 3',
  ),
}
