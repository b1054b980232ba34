// collector.libsonnet: per-collector table and series, the collector variable and the error feed.
local collector = import 'collector.libsonnet';

{
  everyCollectorIsSelectable: std.assertEqual(
    [collector.variable.name, collector.variable.prefix, collector.variable.default, collector.variable.available_values],
    ['collector', 'collector', '*', ['github', 'skypilot', 'asana', 'ec2', 'wandb', 'kubernetes', 'eval', 'health_fom']],
  ),

  statusTableHasOneColumnPerMeasureThenOnePerDay: std.assertEqual(
    local request = collector.statusTable('s', 'd', 'e', 'p', 'r').definition.requests[0];
    [[q.name, q.query, q.aggregator] for q in request.queries] + [[f.alias for f in request.formulas]],
    [['status', 's', 'last'], ['duration', 'd', 'last'], ['errors', 'e.rollup(sum)', 'sum'], ['published', 'p', 'last'],
     ['runs', 'r.rollup(count, 3600)', 'sum'],
     ['last run ok (1/0)', 'duration', 'errors', 'metrics published',
      'runs today', 'runs -1d', 'runs -2d', 'runs -3d', 'runs -4d', 'runs -5d', 'runs -6d']],
  ),

  statusTableIsPinnedToOneDayAndShiftsTheRuns: std.assertEqual(
    local table = collector.statusTable('s', 'd', 'e', 'p', 'r').definition;
    [table.time, [f.formula for f in table.requests[0].formulas][4:7]],
    [{ live_span: '1d' }, ['runs', 'timeshift(runs, -86400)', 'timeshift(runs, -172800)']],
  ),

  failedLastRunIsRed: std.assertEqual(
    [f.palette for f in collector.statusTable('s', 'd', 'e', 'p', 'r').definition.requests[0].formulas[0].conditional_formats],
    ['white_on_green', 'white_on_red'],
  ),

  errorTotalsSumEveryRun: std.assertEqual(
    [collector.errors('sum:collector.error_count{*}').definition.requests[0].queries[0].query,
     collector.errorsByCollector('sum:collector.error_count{*} by {collector}').definition.requests[0].queries[0].query],
    ['sum:collector.error_count{*}.rollup(sum)', 'sum:collector.error_count{*} by {collector}.rollup(sum)'],
  ),

  errorFeedIsALogsListFilteredByCollector: std.assertEqual(
    local feed = collector.recentErrors('$env').definition;
    [feed.type, feed.requests[0].query, [c.field for c in feed.requests[0].columns]],
    ['list_stream',
     { data_source: 'logs_stream', sort: { column: 'timestamp', order: 'desc' },
       query_string: 'service:datadog-collectors status:(error OR critical) '
                     + '@logger.name:devops.datadog.collectors.$collector.value $env' },
     ['status_line', 'timestamp', 'host', '@logger.name', 'content']],
  ),

  errorFeedWithoutExtraFilter: std.assertEqual(
    collector.recentErrors().definition.requests[0].query.query_string,
    'service:datadog-collectors status:(error OR critical) @logger.name:devops.datadog.collectors.$collector.value',
  ),
}
