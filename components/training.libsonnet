// Training & WandB presets, layered on the widget builders. Each takes its Datadog query string(s), kept in
// the dashboard's `queries` map, and adds the agreed targets (markers) and formats. Targets follow the
// training FoMs of the shared fom.md and the multigpu arena / multinode conditions of the upstream FoM spec.
local fom = import 'fom.libsonnet';
local foms = import 'foms.libsonnet';
local links = import 'links.libsonnet';
local palettes = import 'palettes.libsonnet';
local runs = import 'runs.libsonnet';
local skypilot = import 'skypilot.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

local qv(title, name, q, precision=0) =
  w.queryValue.new(title, [w.query.metric(name, q)])
  + w.queryValue.withAggregator('last')
  + w.queryValue.withPrecision(precision);

local alias(name, text) = w.formula.new(name) + w.formula.withAlias(text);

local ts(title, name, q, label) =
  w.timeseries.new(title, [w.query.metric(name, q)])
  + w.timeseries.withFormulas([alias(name, label)]);

// Run types the WandB collector tags its per-run metrics with (run_type:...).
local runTypes = ['ptm', 'sweep', 'stable', 'local', 'other'];

{
  runTypes:: runTypes,

  // FoM strip: every training FoM computed inline from its raw metric, then the group mean; each tile is the
  // same reading as the rollup's 'today' cell, and links back to the rollup.
  fomStrip(filter='*')::
    local back = [links.custom('Open System Health Rollup', 'system_health_rollup')] + fom.links(foms.training[0])[1:];
    [fom.queryValue(decl, 'inline', 0, filter) + w.queryValue.withCustomLinks(back) for decl in foms.training]
    + [fom.average('Training Health', foms.training, 'inline', 0, filter) + w.queryValue.withCustomLinks(back)],

  // Training status.
  activeRuns(q):: qv('Active Runs', 'active', q),
  // Raw tiles of a FoM's metric are coloured where the FoM changes colour (fom.rawFormats).
  completedRuns7d(q)::
    qv('Completed Runs (7d)', 'completed', q)
    + w.queryValue.withConditionalFormats(fom.rawFormats(foms.byMetric['health.training.run_success.fom'])),
  failedRuns7d(q)::
    qv('Failed Runs (7d)', 'failed', q)
    + w.queryValue.withConditionalFormats(fom.rawFormats(foms.byMetric['health.training.run_failures.fom'])),
  // The same tile as on Skypilot Jobs (skypilot.queuedQuery gives the query), so both show one number.
  queuedJobs(q)::
    skypilot.queuedJobs(q)
    + w.queryValue.withDescription('Training jobs waiting for capacity: WandB has no queue, SkyPilot holds it.'),
  runOutcomes(completed, failed)::
    w.timeseries.new('Run Outcomes (7d window)', [w.query.metric('completed', completed), w.query.metric('failed', failed)])
    + w.timeseries.withFormulas([alias('completed', 'completed'), alias('failed', 'failed')])
    + w.timeseries.withPalette(palettes.series.semantic)
    + w.timeseries.withMarker(7, 'target 7 completed', 'ok')
    + w.timeseries.withMarker(3, 'failure limit 3', 'error'),

  // Model performance.
  bestAccuracy(q)::
    qv('Best Model Accuracy', 'best', q, 3)
    + w.queryValue.withConditionalFormats(fom.rawFormats(foms.byMetric['health.training.best_accuracy.fom'])),
  avgAccuracy7d(q)::
    ts('Average Accuracy (7d)', 'accuracy', q, 'avg accuracy')
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withYAxisMax(1)
    + w.timeseries.withMarker(0.7, 'healthy 0.7', 'ok'),
  latestLoss(q)::
    ts('Latest Training Loss', 'loss', q, 'loss')
    + w.timeseries.withPalette(palettes.series.warm)
    + w.timeseries.withMarker(0.1, 'target 0.1', 'ok')
    + w.timeseries.withMarker(2, 'critical 2.0', 'error'),

  // Multigpu arena and multinode: successful runs per day, mean hearts and throughput (upstream targets:
  // at least one run a day, hearts above 0.5 aiming at 0.7, more than 40k steps per second).
  runsCompleted24h(title, q)::
    qv(title, 'runs', q)
    + w.queryValue.withDescription('Runs completed in the last 24 hours (green: at least one).')
    + w.queryValue.withConditionalFormats(thresholds.passFail),
  hearts(title, q)::
    ts(title, 'hearts', q, 'avg hearts')
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withMarker(0.7, 'target 0.7', 'ok')
    + w.timeseries.withMarker(0.5, 'minimum 0.5', 'warning'),
  stepsPerSecond(title, q, label='SPS')::
    ts(title, 'sps', q, label)
    + w.timeseries.withPalette(palettes.series.cool)
    + w.timeseries.withMarker(40000, 'target 40k', 'ok')
    + w.timeseries.withMarker(20000, 'critical 20k', 'error'),

  // Resource utilization.
  gpuUtilization(q)::
    ts('GPU Utilization (%)', 'gpu', q, 'GPU utilization')
    + w.timeseries.withFormulas([alias('gpu', 'GPU utilization') + w.formula.withUnit('percent')])
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withYAxisMax(100)
    + w.timeseries.withMarker(80, 'target 80%', 'ok'),
  avgDuration(q)::
    ts('Average Run Duration (hours)', 'duration', q, 'avg duration')
    + w.timeseries.withFormulas([alias('duration', 'avg duration') + w.formula.withUnit('hour')])
    + w.timeseries.withMarkers([
      thresholds.band(1, 8, 'healthy 1-8 h', 'ok'),
      thresholds.marker(16, 'critical 16 h', 'error'),
    ]),
  gpuHours7d(q)::
    qv('GPU Hours (7d)', 'gpu_hours', q)
    + w.queryValue.withFormulas([alias('gpu_hours', 'GPU hours') + w.formula.withUnit('hour')])
    + w.queryValue.withTimeseriesBackground('bars'),
  cost(q)::
    qv('Training Cost (est.)', 'cost', q)
    + w.queryValue.withDescription('Estimated cost of the training runs (wandb.training.cost_estimate_usd).')
    + w.queryValue.withFormulas([alias('cost', 'cost') + w.formula.withUnit('dollar')])
    + w.queryValue.withTimeseriesBackground('area'),

  // Jobs breakdown: run hours per run type for one state (success | failure), from per-run metrics
  // wandb.<run_type>.<state>.duration_hours; `query(type)` gives the query string of one type.
  runHoursByType(title, query)::
    w.timeseries.new(title, [w.query.metric(t, query(t)) for t in runTypes])
    + w.timeseries.withFormulas([alias(t, t) + w.formula.withUnit('hour') for t in runTypes])
    + w.timeseries.withDisplayType('bars'),

  // Recent runs: one row per run_id, newest first, one column per named query; `columns` is
  // [[name, label, query], ...] with queries grouped by run (runs.byRun).
  recentRuns(title, columns):: runs.table(title, columns),
}
