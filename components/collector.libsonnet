// Collector Health presets: the collectors' own run metrics, one series or table row per collector (tag
// `collector`). Each preset takes its Datadog query string(s), kept in the dashboard's `queries` map.
local palettes = import 'palettes.libsonnet';
local templates = import 'templates.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

local alias(name, text) = w.formula.new(name) + w.formula.withAlias(text);

// Every collector that reports its runs, as the `collector` tag values.
local names = ['github', 'skypilot', 'asana', 'ec2', 'wandb', 'kubernetes', 'eval', 'health_fom'];

{
  names:: names,
  // Service the collectors' CronJobs log under (the recent-errors feed filters on it).
  service:: 'datadog-collectors',
  // Template variable picking one collector or all.
  variable:: templates.variable('collector', 'collector') + templates.withAvailableValues(names),

  // Current status across the selected collectors.
  errors(q)::
    w.queryValue.new('Collector Errors', [w.query.metric('errors', q)])
    + w.queryValue.withAggregator('sum')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(0, 5))
    + w.queryValue.withTimeseriesBackground('bars'),
  slowestRun(q)::
    w.queryValue.new('Slowest Last Run', [w.query.metric('duration', q)])
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withFormulas([alias('duration', 'slowest run') + w.formula.withUnit('second')]),
  metricsPublished(q)::
    w.queryValue.new('Metrics Published (last runs)', [w.query.metric('published', q)])
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withConditionalFormats(thresholds.passFail),

  // One row per collector: last run status, duration, errors over the window, metrics published.
  statusTable(success, duration, errors, published)::
    w.table.new('Collector Status', [
      w.query.metric('status', success) + w.query.withAggregator('last'),
      w.query.metric('duration', duration) + w.query.withAggregator('last'),
      w.query.metric('errors', errors) + w.query.withAggregator('sum'),
      w.query.metric('published', published) + w.query.withAggregator('last'),
    ])
    + w.table.withFormulas([
      alias('status', 'last run ok (1/0)') + w.formula.withLimit(25)
      + w.formula.withConditionalFormats(thresholds.passFail),
      alias('duration', 'duration') + w.formula.withUnit('second'),
      alias('errors', 'errors') + w.formula.withConditionalFormats(thresholds.trafficLightLowerIsBetter(0, 5)),
      alias('published', 'metrics published') + w.formula.withConditionalFormats(thresholds.passFail),
    ])
    + w.table.withHasSearchBar('never'),

  // Over time, one series per collector.
  durationByCollector(q)::
    w.timeseries.new('Run Duration by Collector (seconds)', [w.query.metric('duration', q)])
    + w.timeseries.withFormulas([alias('duration', 'duration') + w.formula.withUnit('second')])
    + w.timeseries.withPalette(palettes.series.cool)
    + w.timeseries.withYAxisMin(0),
  errorsByCollector(q)::
    w.timeseries.new('Errors by Collector', [w.query.metric('errors', q)])
    + w.timeseries.withFormulas([alias('errors', 'errors')])
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.warm),
  publishedByCollector(q)::
    w.timeseries.new('Metrics Published by Collector', [w.query.metric('published', q)])
    + w.timeseries.withFormulas([alias('published', 'metrics published')])
    + w.timeseries.withPalette(palettes.series.classic)
    + w.timeseries.withYAxisMin(0),

  // Live feed of the collectors' error and critical logs; the logger name (devops.datadog.collectors.<name>)
  // tells which collector wrote the line.
  recentErrors(extraFilter='')::
    w.logStream.errors('Recent Collector Errors', std.stripChars('service:%s %s' % [self.service, extraFilter], ' '))
    + w.logStream.withColumns(['host', 'service', '@logger.name']),
}
