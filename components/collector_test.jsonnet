// collector.libsonnet: per-collector table and series, the collector variable and the error feed.
local collector = import 'collector.libsonnet';

{
  everyCollectorIsSelectable: std.assertEqual(
    [collector.variable.name, collector.variable.prefix, collector.variable.default, collector.variable.available_values],
    ['collector', 'collector', '*', ['github', 'skypilot', 'asana', 'ec2', 'wandb', 'kubernetes', 'eval', 'health_fom']],
  ),

  statusTableHasOneColumnPerMeasure: std.assertEqual(
    local request = collector.statusTable('s', 'd', 'e', 'p').definition.requests[0];
    [[q.name, q.query, q.aggregator] for q in request.queries] + [[f.alias for f in request.formulas]],
    [['status', 's', 'last'], ['duration', 'd', 'last'], ['errors', 'e', 'sum'], ['published', 'p', 'last'],
     ['last run ok (1/0)', 'duration', 'errors', 'metrics published']],
  ),

  failedLastRunIsRed: std.assertEqual(
    [f.palette for f in collector.statusTable('s', 'd', 'e', 'p').definition.requests[0].formulas[0].conditional_formats],
    ['white_on_green', 'white_on_red'],
  ),

  errorFeedFiltersTheCollectorsService: std.assertEqual(
    local feed = collector.recentErrors('$env').definition;
    [feed.type, feed.query, feed.columns],
    ['log_stream', 'status:(error OR critical) service:datadog-collectors $env', ['host', 'service', '@logger.name']],
  ),

  errorFeedWithoutExtraFilter: std.assertEqual(
    collector.recentErrors().definition.query, 'status:(error OR critical) service:datadog-collectors',
  ),
}
