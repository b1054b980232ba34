// EC2 Infrastructure: instances, instance types, age, EBS storage and cost estimates from the EC2 collector.
local dashboard = import 'dashboard.libsonnet';
local ec2 = import 'ec2.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

local filter = templates.filter([templates.env]);
local queries = {
  total: 'avg:ec2.instances.total{%s}' % filter,
  running: 'avg:ec2.instances.running{%s}' % filter,
  stopped: 'avg:ec2.instances.stopped{%s}' % filter,
  idle: 'avg:ec2.instances.idle{%s}' % filter,
  spot: 'avg:ec2.instances.spot{%s}' % filter,
  ondemand: 'avg:ec2.instances.ondemand{%s}' % filter,
  gpu: 'avg:ec2.instances.gpu_count{%s}' % filter,
  cpu: 'avg:ec2.instances.cpu_count{%s}' % filter,
  avgAge: 'avg:ec2.instances.avg_age_days{%s}' % filter,
  oldestAge: 'max:ec2.instances.oldest_age_days{%s}' % filter,
  volumes: 'avg:ec2.ebs.volumes.total{%s}' % filter,
  volumesAttached: 'avg:ec2.ebs.volumes.attached{%s}' % filter,
  volumesUnattached: 'avg:ec2.ebs.volumes.unattached{%s}' % filter,
  volumeGb: 'avg:ec2.ebs.volumes.size_gb{%s}' % filter,
  snapshots: 'avg:ec2.ebs.snapshots.total{%s}' % filter,
  snapshotGb: 'avg:ec2.ebs.snapshots.size_gb{%s}' % filter,
  hourlyCost: 'avg:ec2.cost.running_hourly_estimate{%s}' % filter,
  monthlyCost: 'avg:ec2.cost.monthly_estimate{%s}' % filter,
  spotSavings: 'avg:ec2.cost.spot_savings_pct{%s}' % filter,
};

local about = w.note.new(|||
  ## EC2 Infrastructure
  The AWS fleet behind training and CI: instances and their types, how long they live, EBS storage and
  estimated cost. Yellow marks capacity paid for but unused. Related: %s · %s
||| % [
  links.markdown('System Health Rollup', 'system_health_rollup'),
  links.markdown('Skypilot Jobs', 'skypilot_jobs'),
]) + w.note.withBackgroundColor('white');

dashboard.new('EC2 Infrastructure')
+ dashboard.withDescription('EC2 instances (state, spot vs on-demand, GPU vs CPU, age), EBS volumes and snapshots, '
                            + 'and cost estimates with spot savings. Opens on the past 7 days.')
+ dashboard.withDefaultTimeframe(7, 'day')
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('EC2 Instances', 'vivid_blue', [
    layout.row([
      ec2.totalInstances(queries.total),
      ec2.runningInstances(queries.running),
      ec2.stoppedInstances(queries.stopped),
      ec2.idleInstances(queries.idle),
    ], 3, 2),
    layout.full(ec2.instanceTrend(queries.total, queries.running, queries.stopped, queries.idle), 3),
  ]),
  layout.section('Resources & Instance Types', 'vivid_purple', [
    layout.row([
      ec2.spotInstances(queries.spot),
      ec2.onDemandInstances(queries.ondemand),
      ec2.gpuInstances(queries.gpu),
      ec2.cpuInstances(queries.cpu),
    ], 3, 2),
    layout.full(ec2.instanceMix(queries.spot, queries.ondemand, queries.gpu, queries.cpu), 3),
  ]),
  layout.section('Instance Age', 'vivid_orange', [
    layout.row([
      ec2.averageInstanceAge(queries.avgAge),
      ec2.oldestInstance(queries.oldestAge),
      ec2.ageNote(),
    ], [3, 3, 6], 3),
  ]),
  layout.section('EBS Storage', 'vivid_green', [
    layout.row([
      ec2.volumesTotal(queries.volumes),
      ec2.volumesAttached(queries.volumesAttached),
      ec2.volumesUnattached(queries.volumesUnattached),
      ec2.snapshotsTotal(queries.snapshots),
      ec2.volumeStorage(queries.volumeGb),
      ec2.snapshotStorage(queries.snapshotGb),
    ], 2, 2),
    layout.full(ec2.storageTrend(queries.volumeGb, queries.snapshotGb), 3),
  ]),
  layout.section('Cost Tracking', 'vivid_yellow', [
    layout.row([
      ec2.hourlyCost(queries.hourlyCost),
      ec2.monthlyCost(queries.monthlyCost),
      ec2.spotSavings(queries.spotSavings),
    ], 4, 2),
    layout.row([ec2.costTrend(queries.hourlyCost), ec2.costNote()], [7, 5], 3),
  ]),
]))
