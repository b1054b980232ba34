// training.libsonnet: FoM strip, targets and the per-run breakdown.
local foms = import 'foms.libsonnet';
local training = import 'training.libsonnet';

local markerValues(widget) = [m.value for m in widget.definition.markers];

{
  fomStripHasEveryTrainingFomThenTheMean: std.assertEqual(
    [cell.definition.title for cell in training.fomStrip('$env')],
    [d.title for d in foms.training] + ['Training Health'],
  ),

  fomStripReadsRawMetricsWithTheFilter: std.assertEqual(
    training.fomStrip('$env')[5].definition.requests[0].queries[0].query,
    'avg:wandb.training.gpu_utilization_avg{$env}',
  ),

  // The run-failures FoM (0 -> 1.0, 3 -> 0.0) is 0.7 at 0.9 failures and 0.3 at 2.1.
  failedRunsTurnColourWithTheirFom: std.assertEqual(
    [[f.comparator, f.value, f.palette] for f in training.failedRuns7d('q').definition.requests[0].conditional_formats],
    [['<=', 0.9, 'white_on_green'], ['<=', 2.1, 'white_on_yellow'], ['>', 2.1, 'white_on_red']],
  ),

  lossMarksTheFomEnds: std.assertEqual(markerValues(training.latestLoss('q')), ['y = 0.1', 'y = 2']),

  durationShadesTheHealthyBand: std.assertEqual(
    markerValues(training.avgDuration('q')), ['1 < y < 8', 'y = 16'],
  ),

  spsTargetsFollowTheUpstreamSpec: std.assertEqual(
    markerValues(training.stepsPerSecond('Arena SPS', 'q')), ['y = 40000', 'y = 20000'],
  ),

  runHoursHaveOneSeriesPerRunType: std.assertEqual(
    local chart = training.runHoursByType('Run Hours', function(t) 'sum:wandb.%s.success.duration_hours{*}' % t);
    [[q.name, q.query] for q in chart.definition.requests[0].queries],
    [[t, 'sum:wandb.%s.success.duration_hours{*}' % t] for t in ['ptm', 'sweep', 'stable', 'local', 'other']],
  ),

  recentRunsAreNewestFirst: std.assertEqual(
    local table = training.recentRuns('Runs', [['a', 'A', 'avg:x{*} by {run_id}'], ['b', 'B', 'avg:y{*} by {run_id}']]);
    local request = table.definition.requests[0];
    [table.definition.type, [f.alias for f in request.formulas], std.objectHas(request.formulas[0], 'limit'),
     request.sort, [q.aggregator for q in request.queries]],
    ['query_table', ['A', 'B'], false, { count: 25, order_by: [{ type: 'group', name: 'run_id', order: 'desc' }] },
     ['last', 'last']],
  ),
}
