// Collector Health presets: the collectors' own run metrics, one series or table row per collector (tag
// `collector`). Each preset takes its Datadog query string(s), kept in the dashboard's `queries` map.
//
// Two readings the metrics alone would get wrong:
//   - Errors: collector.error_count is a gauge (errors of one run). Datadog rolls a gauge up with `avg`
//     into buckets whose size follows the time range, so a `sum` over the buckets changes with the range.
//     errorTotal(q) adds `.rollup(sum)`: each bucket holds the sum of its runs' errors, and their total is
//     the errors of every run in the window, whatever the interval.
//   - Freshness: `last` over the dashboard's week shows the last run a collector made, however old. The
//     status table is pinned to the last 24 h and counts the runs of each of the last 7 days (one column per
//     day, timeshift like the rollup), so a collector that stopped shows blank (gray) days up to today, and
//     its last-seen day is the first day with runs.
local palettes = import 'palettes.libsonnet';
local runbooks = import 'runbooks.libsonnet';
local templates = import 'templates.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

local alias(name, text) = w.formula.new(name) + w.formula.withAlias(text);

local dayCount = 7;
local dayLabel(daysBack) = if daysBack == 0 then 'runs today' else 'runs -%dd' % daysBack;
local freshWindow = '1d';
// A collector that reported no run in a day has no value there: the cell stays blank (gray).
local freshFormats = [thresholds.format('>', 0, palettes.conditional.green)];
local runbookLinks = [
  { label: 'Collectors runbook', link: runbooks.collectors },
  { label: 'Adding or fixing a collector', link: runbooks.addingCollector },
];

// Every collector that reports its runs, as the `collector` tag values.
local names = ['github', 'skypilot', 'asana', 'ec2', 'wandb', 'kubernetes', 'eval', 'health_fom'];

{
  names:: names,
  // Service the collectors' CronJobs log under (the recent-errors feed filters on it).
  service:: 'datadog-collectors',
  // Template variable picking one collector or all.
  variable:: templates.variable('collector', 'collector') + templates.withAvailableValues(names),
  runbookLinks:: runbookLinks,

  // An error-count query summed per bucket (see the top of this file): 'sum:collector.error_count{...}'.
  errorTotal(q):: '%s.rollup(sum)' % q,
  // Runs per hour of a per-run metric (one point per run): counted, not averaged.
  runCount(q):: '%s.rollup(count, 3600)' % q,

  // Current status across the selected collectors. `q` is the plain error-count query.
  errors(q)::
    w.queryValue.new('Collector Errors', [w.query.metric('errors', $.errorTotal(q))])
    + w.queryValue.withDescription('Errors of every run in the selected time range (per-run error counts summed).')
    + w.queryValue.withAggregator('sum')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(0, 5))
    + w.queryValue.withTimeseriesBackground('bars'),
  // The two 'last run' tiles are pinned to the last 24 h like the status table: over the dashboard's week,
  // `last` would keep showing (green) the last runs of collectors that stopped days ago.
  slowestRun(q)::
    w.queryValue.new('Slowest Last Run', [w.query.metric('duration', q)])
    + w.queryValue.withDescription('The slowest of the latest collector runs in the last 24 h; blank (gray) when no '
                                   + 'collector ran in that time.')
    + w.queryValue.withTime(freshWindow)
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withFormulas([alias('duration', 'slowest run') + w.formula.withUnit('second')]),
  metricsPublished(q)::
    w.queryValue.new('Metrics Published (last runs)', [w.query.metric('published', q)])
    + w.queryValue.withDescription('Metrics published by the latest collector runs in the last 24 h; blank (gray) '
                                   + 'when no collector ran in that time, never the green of an older run.')
    + w.queryValue.withTime(freshWindow)
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withConditionalFormats(thresholds.passFail),

  // One row per collector, pinned to the last 24 h: last run status, duration, errors, metrics published,
  // then the runs of each of the last 7 days (`runs` is a per-run metric grouped by collector, e.g. the
  // duration). A collector silent since N days shows N blank day columns before its last-seen day, and
  // blank status columns: it stays listed (its older days have runs) for a week after it stopped.
  statusTable(success, duration, errors, published, runs)::
    w.table.new('Collector Status and Last Seen', [
      w.query.metric('status', success) + w.query.withAggregator('last'),
      w.query.metric('duration', duration) + w.query.withAggregator('last'),
      w.query.metric('errors', $.errorTotal(errors)) + w.query.withAggregator('sum'),
      w.query.metric('published', published) + w.query.withAggregator('last'),
      w.query.metric('runs', $.runCount(runs)) + w.query.withAggregator('sum'),
    ])
    + w.table.withFormulas([
      alias('status', 'last run ok (1/0)') + w.formula.withLimit(25)
      + w.formula.withConditionalFormats(thresholds.passFail),
      alias('duration', 'duration') + w.formula.withUnit('second'),
      alias('errors', 'errors') + w.formula.withConditionalFormats(thresholds.trafficLightLowerIsBetter(0, 5)),
      alias('published', 'metrics published') + w.formula.withConditionalFormats(thresholds.passFail),
    ] + [
      alias(w.query.timeshift('runs', d), dayLabel(d)) + w.formula.withConditionalFormats(freshFormats)
      for d in std.range(0, dayCount - 1)
    ])
    + w.table.withHasSearchBar('never')
    + w.table.withTime(freshWindow)
    + w.table.withDescription(
      'One row per collector over the last 24 h: last run status, duration, errors, metrics published; then the '
      + 'runs of each of the last 7 days. Blank (gray) = no run that day: the first day with runs is when the '
      + 'collector was last seen.'
    )
    + w.table.withCustomLinks(runbookLinks),

  // Over time, one series per collector.
  durationByCollector(q)::
    w.timeseries.new('Run Duration by Collector (seconds)', [w.query.metric('duration', q)])
    + w.timeseries.withFormulas([alias('duration', 'duration') + w.formula.withUnit('second')])
    + w.timeseries.withPalette(palettes.series.cool)
    + w.timeseries.withYAxisMin(0),
  errorsByCollector(q)::
    w.timeseries.new('Errors by Collector', [w.query.metric('errors', $.errorTotal(q))])
    + w.timeseries.withFormulas([alias('errors', 'errors')])
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.warm),
  publishedByCollector(q)::
    w.timeseries.new('Metrics Published by Collector', [w.query.metric('published', q)])
    + w.timeseries.withFormulas([alias('published', 'metrics published')])
    + w.timeseries.withPalette(palettes.series.classic)
    + w.timeseries.withYAxisMin(0),

  // Live feed of the collectors' error and critical logs, newest first (a logs list_stream). The logger name
  // (devops.datadog.collectors.<name>) tells which collector wrote the line, so the `collector` template
  // variable filters on it: `$collector.value` is the selected name, or `*` for all.
  recentErrors(extraFilter='')::
    local search = 'service:%s status:(error OR critical) @logger.name:devops.datadog.collectors.$collector.value %s'
                   % [self.service, extraFilter];
    w.listStream.new('Recent Collector Errors', 'logs_stream', std.stripChars(search, ' '))
    + w.listStream.withColumns(['status_line', 'timestamp', 'host', '@logger.name', 'content'])
    + w.listStream.withSort('timestamp', 'desc'),
}
