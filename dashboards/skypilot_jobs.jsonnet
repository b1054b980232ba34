// Skypilot Jobs: managed training jobs, their runtimes, the GPUs and regions they use, from the Skypilot collector.
local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local skypilot = import 'skypilot.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

local filter = templates.filter([templates.env]);
local queries = {
  running: 'avg:skypilot.jobs.running{%s}' % filter,
  queued: skypilot.queuedQuery(filter),
  failed: 'avg:skypilot.jobs.failed{%s}' % filter,
  failed7d: 'sum:skypilot.jobs.failed_7d{%s}' % filter,
  succeeded: 'avg:skypilot.jobs.succeeded{%s}' % filter,
  cancelled: 'avg:skypilot.jobs.cancelled{%s}' % filter,
  withRecoveries: 'avg:skypilot.jobs.with_recoveries{%s}' % filter,
  clusters: 'avg:skypilot.clusters.active{%s}' % filter,
  users: 'avg:skypilot.users.active_count{%s}' % filter,
  runtimeP50: 'avg:skypilot.jobs.runtime_seconds.p50{%s}' % filter,
  runtimeP90: 'avg:skypilot.jobs.runtime_seconds.p90{%s}' % filter,
  runtimeP99: 'avg:skypilot.jobs.runtime_seconds.p99{%s}' % filter,
  runtimeMin: 'min:skypilot.jobs.runtime_seconds.min{%s}' % filter,
  runtimeAvg: 'avg:skypilot.jobs.runtime_seconds.avg{%s}' % filter,
  runtimeMax: 'max:skypilot.jobs.runtime_seconds.max{%s}' % filter,
  bucket0To1h: 'avg:skypilot.jobs.runtime_buckets.0_1h{%s}' % filter,
  bucket1To4h: 'avg:skypilot.jobs.runtime_buckets.1_4h{%s}' % filter,
  bucket4To24h: 'avg:skypilot.jobs.runtime_buckets.4_24h{%s}' % filter,
  bucketOver24h: 'avg:skypilot.jobs.runtime_buckets.over_24h{%s}' % filter,
  gpusTotal: 'avg:skypilot.resources.gpus.total_count{%s}' % filter,
  gpusL4: 'avg:skypilot.resources.gpus.l4_count{%s}' % filter,
  gpusA10g: 'avg:skypilot.resources.gpus.a10g_count{%s}' % filter,
  gpusH100: 'avg:skypilot.resources.gpus.h100_count{%s}' % filter,
  spotJobs: 'avg:skypilot.resources.spot_jobs{%s}' % filter,
  ondemandJobs: 'avg:skypilot.resources.ondemand_jobs{%s}' % filter,
  regionUsEast1: 'avg:skypilot.regions.us_east_1{%s}' % filter,
  regionUsWest2: 'avg:skypilot.regions.us_west_2{%s}' % filter,
  regionOther: 'avg:skypilot.regions.other{%s}' % filter,
};

local about = w.note.new(|||
  ## Skypilot Jobs
  Managed jobs launched with Skypilot: status, runtimes (shown in hours), GPUs, spot usage and regions.
  Dashed lines mark targets; a p99 runtime above %dh flags stuck jobs. Related: %s · %s · %s
||| % [
  skypilot.stuckHours,
  links.markdown('System Health Rollup', 'system_health_rollup'),
  links.markdown('GitHub CI/CD', 'github_cicd'),
  links.markdown('EC2 Infrastructure', 'ec2'),
]) + w.note.withBackgroundColor('white');

dashboard.new('Skypilot Jobs')
+ dashboard.withDescription('Skypilot managed jobs: what runs, waits and fails, how long jobs take, and the GPUs, '
                            + 'spot capacity and regions they use. Opens on the past 7 days.')
+ dashboard.withDefaultTimeframe(7, 'day')
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Job Status', 'vivid_blue', [
    layout.row([
      skypilot.runningJobs(queries.running),
      skypilot.queuedJobs(queries.queued),
      skypilot.failedJobs7d(queries.failed7d),
      skypilot.activeClusters(queries.clusters),
      skypilot.totalGpus(queries.gpusTotal),
      skypilot.activeUsers(queries.users),
    ], 2, 2),
  ]),
  layout.section('Job Trends', 'vivid_purple', [
    layout.row([
      skypilot.jobStates(queries.running, queries.queued, queries.failed),
      skypilot.successRate(queries.succeeded, queries.failed),
    ], 6, 3),
    layout.full(skypilot.jobOutcomes(queries.succeeded, queries.failed, queries.cancelled), 3),
  ]),
  layout.section('Job Runtime', 'vivid_orange', [
    layout.row([
      skypilot.shortestRuntime(queries.runtimeMin),
      skypilot.averageRuntime(queries.runtimeAvg),
      skypilot.longestRuntime(queries.runtimeMax),
    ], 4, 2),
    layout.row([
      skypilot.runtimePercentiles(queries.runtimeP50, queries.runtimeP90, queries.runtimeP99),
      skypilot.runtimeBuckets(queries.bucket0To1h, queries.bucket1To4h, queries.bucket4To24h, queries.bucketOver24h),
    ], 6, 3),
  ]),
  layout.section('Resources', 'vivid_green', [
    layout.row([
      skypilot.gpusByType(queries.gpusL4, queries.gpusA10g, queries.gpusH100),
      skypilot.spotVsOnDemand(queries.spotJobs, queries.ondemandJobs),
      skypilot.regions(queries.regionUsEast1, queries.regionUsWest2, queries.regionOther),
    ], 4, 3),
  ]),
  layout.section('Clusters, Users & Reliability', 'gray', [
    layout.row([
      skypilot.activeClustersTrend(queries.clusters),
      skypilot.activeUsersTrend(queries.users),
      skypilot.jobsWithRecoveries(queries.withRecoveries),
    ], 4, 3),
    layout.row([
      skypilot.recoveryNote(),
      skypilot.futureMetricsNote(links.markdown('EC2 Infrastructure', 'ec2')),
    ], [8, 4], 2),
  ]),
]))
