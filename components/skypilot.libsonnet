// Skypilot Jobs presets, layered on the widget builders. Each takes its Datadog query string(s), kept in the
// dashboard's `queries` map, and adds the agreed targets, units and traffic-light colours (the same language
// as the GitHub CI/CD dashboard: green = healthy, orange/yellow = waiting, red = failing).
local palettes = import 'palettes.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

// A job whose p99 runtime exceeds this many hours is most likely stuck.
local stuckHours = 48;

local qv(title, name, q) =
  w.queryValue.new(title, [w.query.metric(name, q)])
  + w.queryValue.withAggregator('last')
  + w.queryValue.withPrecision(0);

local series(title, pairs) = w.timeseries.new(title, [w.query.metric(p[0], p[1]) for p in pairs]);

local line(name, alias, palette=null) =
  w.formula.new(name) + w.formula.withAlias(alias)
  + (if palette == null then {} else w.formula.withPalette(palette));

// Collector runtimes are seconds; every runtime widget shows hours.
local hours(name, alias) = w.formula.new('%s / 3600' % name) + w.formula.withAlias(alias) + w.formula.withUnit('hour');

local runtimeValue(title, name, alias, q) =
  qv(title, name, q)
  + w.queryValue.withFormulas([hours(name, alias)])
  + w.queryValue.withPrecision(1);

{
  stuckHours:: stuckHours,
  hoursFormula:: hours,

  // Job status (current values).
  runningJobs(q):: qv('Running Jobs', 'running', q),
  // Jobs waiting now: the gauge of the queue, averaged across series like every Skypilot status value
  // (the one definition both Skypilot Jobs and Training & WandB show).
  queuedQuery(filter='*'):: 'avg:skypilot.jobs.queued{%s}' % filter,
  queuedJobs(q):: qv('Queued Jobs', 'queued', q),
  // Green with no failure in the week, yellow up to 5, red above.
  failedJobs7d(q)::
    qv('Failed Jobs (7d)', 'failed_7d', q)
    + w.queryValue.withDescription('Jobs that ended FAILED in the past 7 days. Green at 0, yellow up to 5, red above.')
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(0, 5)),
  activeClusters(q):: qv('Active Clusters', 'clusters', q),
  totalGpus(q):: qv('Total GPUs', 'gpus', q),
  activeUsers(q):: qv('Active Users', 'users', q),

  // Job trends.
  jobStates(running, queued, failed)::
    series('Job States Over Time (stacked)', [['running', running], ['queued', queued], ['failed', failed]])
    + w.timeseries.withFormulas([
      line('running', 'running', palettes.series.green),
      line('queued', 'queued', palettes.series.orange),
      line('failed', 'failed', palettes.series.red),
    ])
    + w.timeseries.withDisplayType('area'),
  successRate(succeeded, failed)::
    series('Job Success Rate (%)', [['succeeded', succeeded], ['failed', failed]])
    + w.timeseries.withDescription('Share of finished jobs that succeeded: 100 * succeeded / (succeeded + failed).')
    + w.timeseries.withFormulas([
      w.formula.new('100 * (succeeded / (succeeded + failed))')
      + w.formula.withAlias('success rate')
      + w.formula.withUnit('percent'),
    ])
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withYAxisMax(100)
    + w.timeseries.withMarkers([
      thresholds.marker(90, 'healthy 90%', 'ok'),
      thresholds.marker(70, 'warning 70%', 'warning'),
    ]),
  jobOutcomes(succeeded, failed, cancelled)::
    series('Job Outcomes', [['succeeded', succeeded], ['failed', failed], ['cancelled', cancelled]])
    + w.timeseries.withFormulas([
      line('succeeded', 'succeeded', palettes.series.green),
      line('failed', 'failed', palettes.series.red),
      line('cancelled', 'cancelled', palettes.series.gray),
    ])
    + w.timeseries.withDisplayType('bars'),

  // Runtime, in hours.
  runtimePercentiles(p50, p90, p99)::
    series('Job Runtime Percentiles (hours)', [['p50', p50], ['p90', p90], ['p99', p99]])
    + w.timeseries.withDescription('Runtimes are reported in seconds and shown in hours (query / 3600). '
                                   + 'A p99 above %dh points at stuck jobs.' % stuckHours)
    + w.timeseries.withFormulas([hours('p50', 'p50'), hours('p90', 'p90'), hours('p99', 'p99')])
    + w.timeseries.withPalette(palettes.series.cool)
    + w.timeseries.withMarker(stuckHours, 'p99 > %dh: stuck jobs' % stuckHours, 'error'),
  shortestRuntime(q):: runtimeValue('Shortest Job (hours)', 'min_runtime', 'shortest', q),
  averageRuntime(q):: runtimeValue('Average Job Runtime (hours)', 'avg_runtime', 'average', q),
  // Red when the longest job passes the stuck-job line, yellow past a day.
  longestRuntime(q)::
    runtimeValue('Longest Job (hours)', 'max_runtime', 'longest', q)
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(24, stuckHours)),
  runtimeBuckets(upTo1h, upTo4h, upTo24h, over24h)::
    series('Job Runtime Distribution', [
      ['up_to_1h', upTo1h], ['up_to_4h', upTo4h], ['up_to_24h', upTo24h], ['over_24h', over24h],
    ])
    + w.timeseries.withFormulas([
      line('up_to_1h', '0-1h'),
      line('up_to_4h', '1-4h'),
      line('up_to_24h', '4-24h'),
      line('over_24h', '>24h'),
    ])
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.warm),

  // Resources.
  gpusByType(l4, a10g, h100)::
    series('GPUs by Type', [['l4', l4], ['a10g', a10g], ['h100', h100]])
    + w.timeseries.withFormulas([line('l4', 'L4'), line('a10g', 'A10G'), line('h100', 'H100')])
    + w.timeseries.withDisplayType('area')
    + w.timeseries.withPalette(palettes.series.purple),
  spotVsOnDemand(spot, ondemand)::
    series('Spot vs On-Demand Jobs', [['spot', spot], ['ondemand', ondemand]])
    + w.timeseries.withFormulas([
      line('spot', 'spot', palettes.series.green),
      line('ondemand', 'on-demand', palettes.series.blue),
    ])
    + w.timeseries.withDisplayType('area'),
  regions(usEast1, usWest2, other)::
    series('Jobs by Region', [['us_east_1', usEast1], ['us_west_2', usWest2], ['other', other]])
    + w.timeseries.withFormulas([
      line('us_east_1', 'us-east-1'),
      line('us_west_2', 'us-west-2'),
      line('other', 'other regions'),
    ])
    + w.timeseries.withDisplayType('area')
    + w.timeseries.withPalette(palettes.series.cool),

  // Clusters, users and reliability.
  activeClustersTrend(q):: series('Active Clusters Over Time', [['clusters', q]]) + w.timeseries.withFormulas([line('clusters', 'active clusters')]),
  activeUsersTrend(q):: series('Active Users Over Time', [['users', q]]) + w.timeseries.withFormulas([line('users', 'active users')]),
  jobsWithRecoveries(q)::
    series('Jobs with Recoveries', [['recovered', q]])
    + w.timeseries.withDescription('Managed jobs that were recovered at least once (spot preemption or node failure).')
    + w.timeseries.withFormulas([line('recovered', 'jobs with recoveries', palettes.series.orange)])
    + w.timeseries.withDisplayType('bars'),

  // Metrics the collector publishes that have no widget yet, explained in place (notes carry no title).
  recoveryNote()::
    w.note.new(|||
      ### Recovery statistics
      Skypilot *recovers* a managed job by relaunching it after a spot preemption or a node failure;
      **Jobs with Recoveries** counts jobs recovered at least once. Not charted yet:
      `skypilot.jobs.recovery_count.avg` (recoveries per recovered job) and `skypilot.jobs.recovery_count.max`
      (the most recovered job). Many recoveries on one job usually mean spot capacity too tight for it.
    |||)
    + w.note.withBackgroundColor('gray'),
  futureMetricsNote(costLink)::
    w.note.new(|||
      ### Coming later
      *Cluster uptime* is not collected yet. Cost of the machines behind the jobs: %s.
    ||| % costLink)
    + w.note.withBackgroundColor('gray')
    + w.note.withTextAlign('center')
    + w.note.withVerticalAlign('center'),
}
