// GitHub CI/CD presets, layered on the widget builders. Each takes its Datadog query string(s), kept in the
// dashboard's `queries` map, and adds the agreed targets (markers) and formats.
local palettes = import 'palettes.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

local qv(title, name, q) =
  w.queryValue.new(title, [w.query.metric(name, q)])
  + w.queryValue.withAggregator('last')
  + w.queryValue.withPrecision(0);

local ts(title, name, q) = w.timeseries.new(title, [w.query.metric(name, q)]);

local alias(name, text) = w.formula.new(name) + w.formula.withAlias(text);

// A gray, centred note standing in for a widget whose metric is not published yet.
local placeholder(title, needs) =
  w.note.new('### %s\n\n*Coming soon.* %s' % [title, needs])
  + w.note.withBackgroundColor('gray')
  + w.note.withTextAlign('center')
  + w.note.withVerticalAlign('center');

{
  // Row 1: current status.
  openPrs(q):: qv('Open PRs', 'open_prs', q),
  prsMerged7d(q):: qv('PRs Merged (7d)', 'merged', q),
  activeDevelopers(q):: qv('Active Developers (7d)', 'developers', q),
  // 1 = PASSING (green), 0 = FAILING (red).
  testsOnMain(q)::
    qv('Tests on Main', 'tests_passing', q)
    + w.queryValue.withDescription('1 = PASSING (green), 0 = FAILING (red): the latest CI run on main.')
    + w.queryValue.withConditionalFormats(thresholds.passFail),

  // PR velocity.
  cycleTime(q)::
    ts('PR Cycle Time (hours)', 'cycle_time', q)
    + w.timeseries.withFormulas([alias('cycle_time', 'cycle time') + w.formula.withUnit('hour')])
    + w.timeseries.withMarker(48, 'target 48h', 'warning'),
  stalePrs(q)::
    ts('Stale PRs (no update in 14d)', 'stale', q)
    + w.timeseries.withFormulas([alias('stale', 'stale PRs')])
    + w.timeseries.withMarker(20, 'threshold 20', 'warning'),

  // Code quality.
  hotfixes(q)::
    ts('Hotfix Commits', 'hotfix', q)
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.warm)
    + w.timeseries.withMarker(5, 'threshold 5', 'warning'),
  reverts(q)::
    ts('Reverts', 'reverts', q)
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.warm)
    + w.timeseries.withMarker(1, 'threshold 1', 'warning'),
  failedWorkflows(q)::
    ts('Failed Workflows (7d)', 'failed', q)
    + w.timeseries.withPalette(palettes.series.warm)
    + w.timeseries.withMarker(2, 'threshold 2', 'error'),

  // CI performance.
  ciDuration(p50, p90, p99)::
    w.timeseries.new('CI Duration Percentiles (minutes)', [
      w.query.metric('p50', p50),
      w.query.metric('p90', p90),
      w.query.metric('p99', p99),
    ])
    + w.timeseries.withFormulas([
      alias('p50', 'p50') + w.formula.withUnit('minute'),
      alias('p90', 'p90') + w.formula.withUnit('minute'),
      alias('p99', 'p99') + w.formula.withUnit('minute'),
    ])
    + w.timeseries.withPalette(palettes.series.cool)
    + w.timeseries.withMarker(5, 'p90 target 5 min', 'warning'),
  workflowSuccessRate(total, failed)::
    w.timeseries.new('Workflow Success Rate (%)', [w.query.metric('total', total), w.query.metric('failed', failed)])
    + w.timeseries.withFormulas([
      w.formula.new('100 * (total - failed) / total') + w.formula.withAlias('success rate') + w.formula.withUnit('percent'),
    ])
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withYAxisMax(100)
    + w.timeseries.withMarkers([
      thresholds.marker(90, 'healthy 90%', 'ok'),
      thresholds.marker(70, 'warning 70%', 'warning'),
    ]),

  // Developer activity.
  commitsPerDeveloper(q)::
    ts('Commits per Developer (7d)', 'commits', q)
    + w.timeseries.withFormulas([alias('commits', 'commits per developer')]),

  // Placeholders for metrics the collector does not publish yet (notes: no title).
  forceMergesPlaceholder()::
    placeholder('Force Merges', 'Needs `github.commits.force_merge_7d` from the GitHub collector.'),
  topContributorsPlaceholder()::
    placeholder('Top Contributors', 'Needs `github.commits.total_7d` tagged by `author`.'),
}
