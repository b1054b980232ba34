// eval.libsonnet: FoM strip, the +-20 % hearts limits, duration targets and the evaluations table.
local eval = import 'eval.libsonnet';
local foms = import 'foms.libsonnet';

{
  fomStripHasEveryEvalFomThenTheMean: std.assertEqual(
    [cell.definition.title for cell in eval.fomStrip()],
    [d.title for d in foms.eval] + ['Eval Health'],
  ),

  heartsDeltaMarksTheFomLimits: std.assertEqual(
    [m.value for m in eval.heartsDelta('l', 'r').definition.markers],
    ['y = 20', 'y = 10', 'y = -10', 'y = -20'],
  ),

  heartsLimitMatchesTheFomScale: std.assertEqual(
    eval.heartsLimit, foms.byMetric['health.eval.local_hearts_accuracy.fom'].rule.scale,
  ),

  // The remote-duration FoM (3 min -> 1.0, 10 min -> 0.0) is 0.7 at 5.1 min and 0.3 at 7.9 min: the chart's
  // lines and the latest value's colours change there, as the FoM's colour does.
  remoteDurationMarksWhereItsFomChangesColour: std.assertEqual(
    [[[m.value, m.display_type] for m in eval.remoteDuration('q').definition.markers],
     [[f.comparator, f.value] for f in eval.latestRemoteDuration('q').definition.requests[0].conditional_formats]],
    [[['y = 5.1', 'ok dashed'], ['y = 7.9', 'error dashed']], [['<=', 5.1], ['<=', 7.9], ['>', 7.9]]],
  ),

  exitCodeIsGreenOnlyAtZero: std.assertEqual(
    [[f.comparator, f.value, f.palette] for f in eval.localExitCode('q').definition.requests[0].conditional_formats],
    [['=', 0, 'white_on_green'], ['>', 0, 'white_on_red'], ['<', 0, 'white_on_red']],
  ),

  recentEvaluationsColourExitCodesAndDeltas: std.assertEqual(
    local table = eval.recentEvaluations([
      ['duration', 'duration', 'avg:d{*} by {run_id}'],
      ['remote_delta', 'delta', 'avg:h{*} by {run_id}'],
      ['exit_code', 'exit', 'max:e{*} by {run_id}'],
    ]).definition;
    [table.type, table.title,
     [std.length(std.get(f, 'conditional_formats', [])) for f in table.requests[0].formulas],
     table.requests[0].sort],
    ['query_table', 'Recent Evaluations', [0, 2, 2],
     { count: 25, order_by: [{ type: 'group', name: 'run_id', order: 'desc' }] }],
  ),

  fomTrendIsTitledApartFromTheRawChart: std.assertEqual(
    local chart = eval.fomTrend('health.eval.remote_duration.fom', '$env').definition;
    [chart.title, chart.requests[0].queries[0].query, chart.requests[0].formulas[0].formula, chart.yaxis.max],
    ['Remote Duration FoM', 'avg:eval.remote.duration_minutes{$env}', 'clamp_min(clamp_max((10 - fom) / 7, 1), 0)', '1'],
  ),
}
