// Eval & Testing: local and remote evaluation status, hearts accuracy against the expected score, remote
// duration and the recent evaluations, from the eval collector.
local dashboard = import 'dashboard.libsonnet';
local eval = import 'eval.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local runs = import 'runs.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

local filter = templates.filter([templates.env]);
local metric(space, name) = '%s:%s{%s}' % [space, name, filter];
local byRun(space, name) = runs.byRun(metric(space, name));
local queries = {
  localExitCode: metric('max', 'eval.local.exit_code'),
  remoteSuccessCount: metric('sum', 'eval.remote.success_count'),
  localHeartsDelta: metric('avg', 'eval.local.hearts_delta_pct'),
  remoteHeartsDelta: metric('avg', 'eval.remote.hearts_delta_pct'),
  remoteDuration: metric('avg', 'eval.remote.duration_minutes'),
  recent: [
    ['remote_duration', 'remote duration (min)', byRun('avg', 'eval.remote.duration_minutes')],
    ['remote_delta', 'remote hearts delta %', byRun('avg', 'eval.remote.hearts_delta_pct')],
    ['local_delta', 'local hearts delta %', byRun('avg', 'eval.local.hearts_delta_pct')],
    ['exit_code', 'local exit code', byRun('max', 'eval.local.exit_code')],
  ],
};

local about = w.note.new(|||
  ## Eval & Testing
  Local and remote policy evaluations from the eval collector: did they run, do hearts match the expected
  score (within ±20 %%), and how long the remote eval takes (3 min target, 10 min critical).
  The FoM row computes each eval Figure of Merit from its raw metric: the latest value of the last 24 h, as in
  the rollup. Related: %s · %s · %s
||| % [
  links.markdown('System Health Rollup', 'system_health_rollup'),
  links.markdown('Collector Health', 'collector_health'),
  links.markdown('GitHub CI/CD', 'github_cicd'),
]) + w.note.withBackgroundColor('white');

local metricNames = w.note.new(|||
  **Metric names the collector will publish.** Upstream names no eval metrics for these exact measures; this
  dashboard reads `eval.local.exit_code`, `eval.local.hearts_delta_pct`, `eval.remote.success_count`,
  `eval.remote.hearts_delta_pct` and `eval.remote.duration_minutes` (the raw metrics of the eval FoMs), each
  point tagged with the evaluation's `run_id` for the recent evaluations table; `run_id` starts with the run's UTC
  start time (`20251023T140512-...`), so the table lists the newest first.
|||) + w.note.withBackgroundColor('gray') + w.note.withFontSize(12);

dashboard.new('Eval & Testing')
+ dashboard.withDescription('Health of policy evaluation: local and remote eval status, hearts accuracy '
                            + 'against expected, remote duration and recent evaluations. Opens on the past 7 days.')
+ dashboard.withDefaultTimeframe(7, 'day')
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Eval FoMs', 'vivid_green', [
    layout.grid(eval.fomStrip(filter), 3, 2),
  ]),
  layout.section('Eval Status', 'vivid_blue', [
    layout.row([
      eval.localExitCode(queries.localExitCode),
      eval.exitCodeHistory(queries.localExitCode),
      eval.remoteSuccessCount(queries.remoteSuccessCount),
      eval.successHistory(queries.remoteSuccessCount),
    ], [2, 4, 2, 4], 3),
  ]),
  layout.section('Accuracy Trends', 'vivid_purple', [
    layout.row([
      eval.heartsDelta(queries.localHeartsDelta, queries.remoteHeartsDelta),
      eval.fomTrend('health.eval.local_hearts_accuracy.fom', filter),
      eval.fomTrend('health.eval.remote_hearts_accuracy.fom', filter),
    ], [6, 3, 3], 3),
  ]),
  layout.section('Performance', 'vivid_orange', [
    layout.row([
      eval.latestRemoteDuration(queries.remoteDuration),
      eval.remoteDuration(queries.remoteDuration),
      eval.fomTrend('health.eval.remote_duration.fom', filter),
    ], [3, 5, 4], 3),
  ]),
  layout.section('Recent Evaluations', 'gray', [
    layout.full(eval.recentEvaluations(queries.recent), 4),
  ]),
  layout.full(metricNames, 2),
]))
