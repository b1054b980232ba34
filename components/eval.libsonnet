// Eval & Testing presets, layered on the widget builders. Each takes its Datadog query string(s), kept in the
// dashboard's `queries` map; markers and colours follow the eval FoMs of the shared fom.md (hearts within
// +-20 % of expected, remote duration 3 min healthy to 10 min critical, exit code 0, at least one success).
local fom = import 'fom.libsonnet';
local foms = import 'foms.libsonnet';
local links = import 'links.libsonnet';
local palettes = import 'palettes.libsonnet';
local runs = import 'runs.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

local alias(name, text) = w.formula.new(name) + w.formula.withAlias(text);

// Hearts delta limits: the FoM reaches 0 at +-20 % and is 0.5 at +-10 %.
local heartsLimit = 20;
local heartsWarning = 10;
local remoteDurationFom = foms.byMetric['health.eval.remote_duration.fom'];

{
  heartsLimit:: heartsLimit,

  // FoM strip: every eval FoM computed inline from its raw metric, then the group mean; each tile is the same
  // reading as the rollup's 'today' cell, and links back to the rollup.
  fomStrip(filter='*')::
    local back = [links.custom('Open System Health Rollup', 'system_health_rollup')] + fom.links(foms.eval[0])[1:];
    [fom.queryValue(decl, 'inline', 0, filter) + w.queryValue.withCustomLinks(back) for decl in foms.eval]
    + [fom.average('Eval Health', foms.eval, 'inline', 0, filter) + w.queryValue.withCustomLinks(back)],

  // One eval FoM over time, inline from its raw metric, titled '<FoM> FoM' so it reads apart from the raw
  // chart beside it (area on [0, 1] with the 0.7 / 0.3 lines).
  fomTrend(metric, filter='*')::
    local decl = foms.byMetric[metric];
    local cell = fom.read(decl, 'fom', 'inline', 0, filter);
    w.timeseries.new(decl.title + ' FoM', cell.queries)
    + w.timeseries.withFormulas([cell.formula])
    + w.timeseries.withDisplayType('area')
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withYAxisMax(1)
    + w.timeseries.withFomMarkers(),

  // Eval status: the local run's exit code (0 passes) and the remote runs that succeeded.
  localExitCode(q)::
    w.queryValue.new('Local Exit Code', [w.query.metric('exit_code', q)])
    + w.queryValue.withDescription('Exit code of the latest local eval run: 0 passes (green), anything else fails (red).')
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withConditionalFormats([
      thresholds.format('=', 0, palettes.conditional.green),
      thresholds.format('>', 0, palettes.conditional.red),
      thresholds.format('<', 0, palettes.conditional.red),
    ]),
  remoteSuccessCount(q)::
    w.queryValue.new('Remote Successes', [w.query.metric('successes', q)])
    + w.queryValue.withDescription('Remote eval runs that succeeded (green: at least one).')
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withConditionalFormats(thresholds.passFail),
  exitCodeHistory(q)::
    w.timeseries.new('Local Eval Exit Code over Time', [w.query.metric('exit_code', q)])
    + w.timeseries.withFormulas([alias('exit_code', 'exit code')])
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.warm)
    + w.timeseries.withMarker(0, 'pass = 0', 'ok'),
  successHistory(q)::
    w.timeseries.new('Remote Eval Successes over Time', [w.query.metric('successes', q)])
    + w.timeseries.withFormulas([alias('successes', 'successful remote evals')])
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.green)
    + w.timeseries.withMarker(1, 'target 1+', 'ok'),

  // Accuracy trends: hearts delta against the expected score, local and remote, with the FoM limits.
  heartsDelta(localQuery, remoteQuery)::
    w.timeseries.new('Hearts Delta vs Expected (%)', [
      w.query.metric('local_delta', localQuery),
      w.query.metric('remote_delta', remoteQuery),
    ])
    + w.timeseries.withFormulas([
      alias('local_delta', 'local') + w.formula.withUnit('percent'),
      alias('remote_delta', 'remote') + w.formula.withUnit('percent'),
    ])
    + w.timeseries.withMarkers([
      thresholds.marker(heartsLimit, 'limit +%d%%' % heartsLimit, 'error'),
      thresholds.marker(heartsWarning, '+%d%% (FoM 0.5)' % heartsWarning, 'warning'),
      thresholds.marker(-heartsWarning, '-%d%% (FoM 0.5)' % heartsWarning, 'warning'),
      thresholds.marker(-heartsLimit, 'limit -%d%%' % heartsLimit, 'error'),
    ]),

  // Performance: remote eval duration with the lines where its FoM turns yellow (above 5.1 min) and red
  // (above 7.9 min); the latest value coloured the same way.
  remoteDuration(q)::
    w.timeseries.new('Remote Eval Duration (minutes)', [w.query.metric('duration', q)])
    + w.timeseries.withFormulas([alias('duration', 'remote duration') + w.formula.withUnit('minute')])
    + w.timeseries.withPalette(palettes.series.cool)
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withMarkers(fom.rawMarkers(remoteDurationFom, 'min')),
  latestRemoteDuration(q)::
    w.queryValue.new('Latest Remote Duration', [w.query.metric('duration', q)])
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(1)
    + w.queryValue.withFormulas([alias('duration', 'remote duration') + w.formula.withUnit('minute')])
    + w.queryValue.withConditionalFormats(fom.rawFormats(remoteDurationFom)),

  // Recent evaluations: one row per evaluation run, newest first; `columns` is [[name, label, query], ...]
  // with queries grouped by run (runs.byRun); an `exit_code` or `*_delta` column is coloured by the FoM limits.
  recentEvaluations(columns)::
    local formats(name) =
      if name == 'exit_code' then [
        thresholds.format('=', 0, palettes.conditional.green),
        thresholds.format('>', 0, palettes.conditional.red),
      ]
      else if std.endsWith(name, '_delta') then [
        thresholds.format('>', heartsLimit, palettes.conditional.red),
        thresholds.format('<', -heartsLimit, palettes.conditional.red),
      ]
      else [];
    runs.table('Recent Evaluations', columns, formats),
}
