// Training & WandB: training run status, model quality, multigpu arena and multinode performance, resource
// use and a per-run breakdown, from the WandB collector (queued jobs from the SkyPilot collector).
local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local runs = import 'runs.libsonnet';
local skypilot = import 'skypilot.libsonnet';
local templates = import 'templates.libsonnet';
local training = import 'training.libsonnet';
local w = import 'widgets.libsonnet';

local filter = templates.filter([templates.env]);
local metric(space, name) = '%s:%s{%s}' % [space, name, filter];
local byRun(space, name) = runs.byRun(metric(space, name));
local queries = {
  active: metric('sum', 'wandb.runs.active'),
  completed7d: metric('sum', 'wandb.runs.completed_7d'),
  failed7d: metric('sum', 'wandb.runs.failed_7d'),
  queued: skypilot.queuedQuery(filter),
  bestAccuracy: metric('max', 'wandb.metrics.best_accuracy'),
  avgAccuracy7d: metric('avg', 'wandb.metrics.avg_accuracy_7d'),
  latestLoss: metric('avg', 'wandb.metrics.latest_loss'),
  arenaRuns: metric('sum', 'wandb.training.arena.runs_completed_24h'),
  arenaHearts: metric('avg', 'wandb.training.arena.avg_hearts'),
  arenaSps: metric('avg', 'wandb.training.arena.avg_sps'),
  multinodeRuns: metric('sum', 'wandb.training.multinode.runs_completed_24h'),
  multinodeHearts: metric('avg', 'wandb.training.multinode.avg_hearts'),
  multinodeShapedSps: metric('avg', 'wandb.training.multinode.shaped_reward_sps'),
  gpuUtilization: metric('avg', 'wandb.training.gpu_utilization_avg'),
  avgDuration: metric('avg', 'wandb.training.avg_duration_hours'),
  gpuHours7d: metric('sum', 'wandb.training.total_gpu_hours_7d'),
  cost: metric('sum', 'wandb.training.cost_estimate_usd'),
  succeededHours(type): metric('sum', 'wandb.%s.success.duration_hours' % type),
  failedHours(type): metric('sum', 'wandb.%s.failure.duration_hours' % type),
  recentRuns: [
    ['duration', 'duration (h)', byRun('max', 'wandb.ptm.success.duration_hours')],
    ['sps', 'SPS', byRun('avg', 'wandb.ptm.success.sps')],
    ['hearts', 'hearts gained', byRun('avg', 'wandb.ptm.success.hearts_gained')],
    ['latency', 'queue latency (s)', byRun('avg', 'wandb.ptm.success.skypilot_latency_s')],
  ],
  failedRuns: [
    ['duration', 'duration (h)', byRun('max', 'wandb.ptm.failure.duration_hours')],
    ['sps', 'SPS', byRun('avg', 'wandb.ptm.failure.sps')],
    ['hearts', 'hearts gained', byRun('avg', 'wandb.ptm.failure.hearts_gained')],
  ],
};

local about = w.note.new(|||
  ## Training & WandB
  Training runs from the WandB collector: status, model quality, multigpu arena and multinode performance,
  resource use and recent runs. The FoM row computes each training Figure of Merit from its raw metric
  (green >= 0.7, yellow >= 0.3, red below), the latest value of the last 24 h, as in the rollup.
  Related: %s · %s · %s · %s
||| % [
  links.markdown('System Health Rollup', 'system_health_rollup'),
  links.markdown('Collector Health', 'collector_health'),
  links.markdown('Skypilot Jobs', 'skypilot_jobs'),
  links.markdown('EC2 Infrastructure', 'ec2'),
]) + w.note.withBackgroundColor('white');

local metricNames = w.note.new(|||
  **Metric names the collector will publish.** Run status, model and resource metrics are the WandB
  collector's (`wandb.runs.*`, `wandb.metrics.*`, `wandb.training.*`). Arena and multinode metrics follow the
  upstream training FoM spec: `wandb.training.arena.{runs_completed_24h,avg_hearts,avg_sps}`,
  `wandb.training.multinode.{runs_completed_24h,avg_hearts,shaped_reward_sps}`. The breakdown reads the per-run
  metrics `wandb.<run_type>.<success|failure>.duration_hours` (tags `run_id`, `run_type`, `state`); `run_id`
  starts with the run's UTC start time (`20251023T140512-...`), so the recent-runs tables list the newest first.
  `wandb.training.cost_estimate_usd` is planned upstream, not yet collected.
|||) + w.note.withBackgroundColor('gray') + w.note.withFontSize(12);

dashboard.new('Training & WandB')
+ dashboard.withDescription('Health of model training: run outcomes, accuracy and loss, multigpu arena and '
                            + 'multinode throughput, GPU use, duration and cost. Opens on the past 7 days.')
+ dashboard.withDefaultTimeframe(7, 'day')
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Training FoMs', 'vivid_green', [
    layout.grid(training.fomStrip(filter), 3, 2),
  ]),
  layout.section('Training Status', 'vivid_blue', [
    layout.row([
      training.activeRuns(queries.active),
      training.completedRuns7d(queries.completed7d),
      training.failedRuns7d(queries.failed7d),
      training.queuedJobs(queries.queued),
    ], 3, 2),
    layout.full(training.runOutcomes(queries.completed7d, queries.failed7d), 3),
  ]),
  layout.section('Model Performance', 'vivid_purple', [
    layout.row([
      training.bestAccuracy(queries.bestAccuracy),
      training.avgAccuracy7d(queries.avgAccuracy7d),
      training.latestLoss(queries.latestLoss),
    ], [2, 5, 5], 3),
  ]),
  layout.section('Multigpu Arena Performance', 'vivid_orange', [
    layout.row([
      training.runsCompleted24h('Arena Runs (24h)', queries.arenaRuns),
      training.hearts('Arena Hearts (avg)', queries.arenaHearts),
      training.stepsPerSecond('Arena Steps per Second', queries.arenaSps),
    ], [2, 5, 5], 3),
  ]),
  layout.section('Multinode Performance', 'vivid_yellow', [
    layout.row([
      training.runsCompleted24h('Multinode Runs (24h)', queries.multinodeRuns),
      training.hearts('Multinode Hearts (avg)', queries.multinodeHearts),
      training.stepsPerSecond('Multinode Shaped Reward SPS', queries.multinodeShapedSps, 'shaped SPS'),
    ], [2, 5, 5], 3),
  ]),
  layout.section('Resource Utilization', 'vivid_pink', [
    layout.row([
      training.gpuUtilization(queries.gpuUtilization),
      training.avgDuration(queries.avgDuration),
      training.gpuHours7d(queries.gpuHours7d),
      training.cost(queries.cost),
    ], [4, 4, 2, 2], 3),
  ]),
  layout.section('Jobs Breakdown and Recent Runs', 'gray', [
    layout.row([
      training.runHoursByType('Successful Run Hours by Run Type', queries.succeededHours),
      training.runHoursByType('Failed Run Hours by Run Type', queries.failedHours),
    ], 6, 3),
    layout.row([
      training.recentRuns('Recent Successful Push-to-Main Runs', queries.recentRuns),
      training.recentRuns('Recent Failed Push-to-Main Runs', queries.failedRuns),
    ], 6, 4),
  ]),
  layout.full(metricNames, 2),
]))
