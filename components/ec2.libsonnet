// EC2 Infrastructure presets, layered on the widget builders. Each takes its Datadog query string(s), kept in
// the dashboard's `queries` map, and adds units (days, GiB, USD, percent) and colours: yellow marks capacity
// that costs money without doing work (idle instances, unattached volumes), red what has run far too long.
local palettes = import 'palettes.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

// Instance age, in days: long-lived instances are forgotten or pets worth a review.
local ageGoodDays = 30;
local ageWarnDays = 90;
local oldestWarnDays = 180;
// Spot savings, in percent of the on-demand price: green at or above 50, yellow at or above 20.
local savingsGoodPct = 50;
local savingsWarnPct = 20;

local qv(title, name, q) =
  w.queryValue.new(title, [w.query.metric(name, q)])
  + w.queryValue.withAggregator('last')
  + w.queryValue.withPrecision(0);

local series(title, pairs) = w.timeseries.new(title, [w.query.metric(p[0], p[1]) for p in pairs]);

local line(name, alias, palette=null) =
  w.formula.new(name) + w.formula.withAlias(alias)
  + (if palette == null then {} else w.formula.withPalette(palette));

local withUnit(formula, unit) = formula + w.formula.withUnit(unit);

// A single value shown in a unit, e.g. valueIn('Monthly Estimate', 'monthly', q, 'dollar', 'monthly cost').
local valueIn(title, name, q, unit, alias) =
  qv(title, name, q) + w.queryValue.withFormulas([withUnit(line(name, alias), unit)]);

// Yellow as soon as there is one (capacity paid for but unused), green at zero.
local yellowWhenAny = [
  thresholds.format('>', 0, palettes.conditional.yellow),
  thresholds.format('<=', 0, palettes.conditional.green),
];

{
  ageGoodDays:: ageGoodDays,
  ageWarnDays:: ageWarnDays,
  oldestWarnDays:: oldestWarnDays,
  savingsGoodPct:: savingsGoodPct,
  savingsWarnPct:: savingsWarnPct,
  yellowWhenAny:: yellowWhenAny,

  // EC2 instances.
  totalInstances(q):: qv('Total Instances', 'total', q),
  runningInstances(q)::
    qv('Running', 'running', q)
    + w.queryValue.withConditionalFormats([thresholds.format('>', 0, palettes.conditional.green)]),
  stoppedInstances(q)::
    qv('Stopped', 'stopped', q)
    + w.queryValue.withDescription('Stopped instances bill no compute, but their EBS volumes still cost money.'),
  idleInstances(q)::
    qv('Idle', 'idle', q)
    + w.queryValue.withDescription('Running instances the collector finds idle. Yellow when any: stop or resize them.')
    + w.queryValue.withConditionalFormats(yellowWhenAny),
  instanceTrend(total, running, stopped, idle)::
    series('Instances Over Time', [['total', total], ['running', running], ['stopped', stopped], ['idle', idle]])
    + w.timeseries.withFormulas([
      line('total', 'total', palettes.series.blue),
      line('running', 'running', palettes.series.green),
      line('stopped', 'stopped', palettes.series.gray),
      line('idle', 'idle', palettes.series.orange),
    ]),

  // Resources and instance types.
  spotInstances(q):: qv('Spot Instances', 'spot', q),
  onDemandInstances(q):: qv('On-Demand Instances', 'ondemand', q),
  gpuInstances(q):: qv('GPU Instances', 'gpu', q),
  cpuInstances(q):: qv('CPU Instances', 'cpu', q),
  // Spot and on-demand stack to the fleet; GPU and CPU instances are lines over the same fleet.
  instanceMix(spot, ondemand, gpu, cpu)::
    series('Instance Mix: Spot vs On-Demand, GPU vs CPU', [['spot', spot], ['ondemand', ondemand]])
    + w.timeseries.withDescription('Areas: spot and on-demand instances (stacked, they add up to the fleet). '
                                   + 'Lines: GPU and CPU instances.')
    + w.timeseries.withFormulas([
      line('spot', 'spot', palettes.series.green),
      line('ondemand', 'on-demand', palettes.series.blue),
    ])
    + w.timeseries.withDisplayType('area')
    + w.timeseries.withExtraRequest(
      [w.query.metric('gpu', gpu), w.query.metric('cpu', cpu)],
      [line('gpu', 'GPU', palettes.series.purple), line('cpu', 'CPU', palettes.series.orange)],
    ),

  // Instance age, in days.
  averageInstanceAge(q)::
    valueIn('Average Instance Age (days)', 'avg_age', q, 'day', 'average age')
    + w.queryValue.withPrecision(1)
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(ageGoodDays, ageWarnDays)),
  oldestInstance(q)::
    valueIn('Oldest Instance (days)', 'oldest_age', q, 'day', 'oldest instance')
    + w.queryValue.withDescription('Age of the longest-running instance. Green up to %d days, yellow up to %d, red above.'
                                   % [ageWarnDays, oldestWarnDays])
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(ageWarnDays, oldestWarnDays)),
  ageNote()::
    w.note.new(|||
      ### Reading instance age
      - **Average age** under %(good)d days: the fleet is short-lived (jobs and dev boxes come and go).
        Above %(warn)d days: long-lived machines dominate; check they are still needed and patched.
      - **Oldest instance** above %(oldest)d days: likely a forgotten box or a pet server. Tag its owner,
        then stop it, or replace it by a fresh AMI.
    ||| % { good: ageGoodDays, warn: ageWarnDays, oldest: oldestWarnDays })
    + w.note.withBackgroundColor('white'),

  // EBS storage.
  volumesTotal(q):: qv('EBS Volumes', 'volumes', q),
  volumesAttached(q):: qv('Attached Volumes', 'attached', q),
  volumesUnattached(q)::
    qv('Unattached Volumes', 'unattached', q)
    + w.queryValue.withDescription('Volumes attached to no instance still bill every month. Yellow when any.')
    + w.queryValue.withConditionalFormats(yellowWhenAny),
  snapshotsTotal(q):: qv('Snapshots', 'snapshots', q),
  volumeStorage(q):: valueIn('Volume Storage', 'volume_gb', q, 'gibibyte', 'volume storage'),
  snapshotStorage(q):: valueIn('Snapshot Storage', 'snapshot_gb', q, 'gibibyte', 'snapshot storage'),
  storageTrend(volumeGb, snapshotGb)::
    series('EBS Storage Over Time', [['volume_gb', volumeGb], ['snapshot_gb', snapshotGb]])
    + w.timeseries.withFormulas([
      withUnit(line('volume_gb', 'volumes', palettes.series.blue), 'gibibyte'),
      withUnit(line('snapshot_gb', 'snapshots', palettes.series.purple), 'gibibyte'),
    ])
    + w.timeseries.withDisplayType('area'),

  // Cost tracking (estimates from on-demand and spot prices of running instances).
  hourlyCost(q)::
    valueIn('Running Cost (USD per hour)', 'hourly', q, 'dollar', 'hourly cost')
    + w.queryValue.withPrecision(2),
  monthlyCost(q)::
    valueIn('Monthly Estimate (USD)', 'monthly', q, 'dollar', 'monthly cost')
    + w.queryValue.withDescription('What the instances running now would cost over a month.'),
  spotSavings(q)::
    valueIn('Spot Savings (%)', 'savings', q, 'percent', 'spot savings')
    + w.queryValue.withDescription('Savings of spot over on-demand prices, in percent. '
                                   + 'Green at %d%% or more, yellow at %d%% or more, red below.' % [savingsGoodPct, savingsWarnPct])
    + w.queryValue.withConditionalFormats(thresholds.trafficLight(savingsGoodPct, savingsWarnPct)),
  costTrend(hourly)::
    series('Running Cost Trend (USD per hour)', [['hourly', hourly]])
    + w.timeseries.withFormulas([withUnit(line('hourly', 'cost per hour', palettes.series.orange), 'dollar')])
    + w.timeseries.withDisplayType('area'),
  costNote()::
    w.note.new(|||
      ### Cutting cost
      - **Idle** instances and **unattached volumes** bill for nothing: stop, snapshot or delete them.
      - Spot savings below %(warn)d%%: move interruptible work (training with checkpoints, batch jobs) to spot.
      - Old **snapshots** add up: keep a retention policy.
      - Compare the monthly estimate with the AWS bill: a gap means discounts, or costs this view does not
        cover (data transfer, S3, other services).
    ||| % { warn: savingsWarnPct })
    + w.note.withBackgroundColor('white'),
}
