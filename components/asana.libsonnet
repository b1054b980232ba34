// Asana Project Management presets, layered on the widget builders. Each takes its Datadog query string(s),
// kept in the dashboard's `queries` map, and adds the agreed colours: red flags what needs attention now
// (projects at risk or off track, bugs piling up or ageing), green what is on course.
local palettes = import 'palettes.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

// Bug age, in days: an average above `ageWarnDays` or a bug older than `oldestErrorDays` needs a look.
local ageGoodDays = 14;
local ageWarnDays = 30;
local oldestErrorDays = 90;

local qv(title, name, q) =
  w.queryValue.new(title, [w.query.metric(name, q)])
  + w.queryValue.withAggregator('last')
  + w.queryValue.withPrecision(0);

local series(title, pairs) = w.timeseries.new(title, [w.query.metric(p[0], p[1]) for p in pairs]);

local line(name, alias, palette=null) =
  w.formula.new(name) + w.formula.withAlias(alias)
  + (if palette == null then {} else w.formula.withPalette(palette));

local days(name, alias) = w.formula.new(name) + w.formula.withAlias(alias) + w.formula.withUnit('day');

// Red as soon as there is one, green at zero.
local redWhenAny = [
  thresholds.format('>', 0, palettes.conditional.red),
  thresholds.format('<=', 0, palettes.conditional.green),
];

{
  ageGoodDays:: ageGoodDays,
  ageWarnDays:: ageWarnDays,
  oldestErrorDays:: oldestErrorDays,
  redWhenAny:: redWhenAny,

  // Project health.
  activeProjects(q):: qv('Active Projects', 'active', q),
  projectsOnTrack(q)::
    qv('On Track', 'on_track', q)
    + w.queryValue.withConditionalFormats([thresholds.format('>', 0, palettes.conditional.green)]),
  projectsAtRisk(q)::
    qv('At Risk', 'at_risk', q)
    + w.queryValue.withDescription('Projects whose latest status update is "at risk". Red when any.')
    + w.queryValue.withConditionalFormats(redWhenAny),
  projectsOffTrack(q)::
    qv('Off Track', 'off_track', q)
    + w.queryValue.withDescription('Projects whose latest status update is "off track". Red when any.')
    + w.queryValue.withConditionalFormats(redWhenAny),
  projectHealthTrend(onTrack, atRisk, offTrack, active)::
    series('Project Health Over Time', [['on_track', onTrack], ['at_risk', atRisk], ['off_track', offTrack]])
    + w.timeseries.withFormulas([
      line('on_track', 'on track', palettes.series.green),
      line('at_risk', 'at risk', palettes.series.orange),
      line('off_track', 'off track', palettes.series.red),
    ])
    + w.timeseries.withDisplayType('area')
    + w.timeseries.withExtraRequest([w.query.metric('active', active)], [line('active', 'active projects', palettes.series.gray)]),

  // Bug status.
  openBugs(q):: qv('Open Bugs', 'total_open', q),
  // Bugs waiting for triage: green up to 5, yellow up to 15, red above.
  bugsInTriage(q)::
    qv('In Triage', 'triage', q)
    + w.queryValue.withDescription('Open bugs not triaged yet. Green up to 5, yellow up to 15, red above.')
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(5, 15)),
  activeBugs(q):: qv('Active (in progress)', 'active_bugs', q),
  backlogBugs(q):: qv('Backlog', 'backlog', q),
  bugStatusTrend(triage, active, backlog, other)::
    series('Open Bugs by Status (stacked)', [
      ['triage', triage], ['active_bugs', active], ['backlog', backlog], ['other', other],
    ])
    + w.timeseries.withFormulas([
      line('triage', 'triage', palettes.series.orange),
      line('active_bugs', 'active', palettes.series.blue),
      line('backlog', 'backlog', palettes.series.purple),
      line('other', 'other', palettes.series.gray),
    ])
    + w.timeseries.withDisplayType('area'),

  // Bug velocity.
  bugsCreated7d(q):: qv('Bugs Created (7d)', 'created', q),
  bugsCompleted7d(q):: qv('Bugs Completed (7d)', 'completed', q),
  bugsCompleted30d(q):: qv('Bugs Completed (30d)', 'completed_30d', q),
  // Net change of the open bug count over the week: green when bugs are closed at least as fast as filed.
  netBugs7d(created, completed)::
    w.queryValue.new('Net New Bugs (7d)', [w.query.metric('created', created), w.query.metric('completed', completed)])
    + w.queryValue.withAggregator('last')
    + w.queryValue.withPrecision(0)
    + w.queryValue.withDescription('Bugs created minus bugs completed in the past 7 days. Green at or below 0.')
    + w.queryValue.withFormulas([w.formula.new('created - completed') + w.formula.withAlias('net new bugs')])
    + w.queryValue.withConditionalFormats(redWhenAny),
  bugVelocity(created, completed)::
    series('Bug Velocity: Created vs Completed (7d)', [['created', created], ['completed', completed]])
    + w.timeseries.withDescription('Rolling 7-day counts. Completed above created means the open bug count falls.')
    + w.timeseries.withFormulas([
      line('created', 'created', palettes.series.red),
      line('completed', 'completed', palettes.series.green),
    ])
    + w.timeseries.withExtraRequest(
      [w.query.metric('created', created), w.query.metric('completed', completed)],
      [line('created - completed', 'net new', palettes.series.gray)],
      'bars',
    ),

  // Bug age, in days.
  averageBugAge(q)::
    qv('Average Bug Age (days)', 'avg_age', q)
    + w.queryValue.withFormulas([days('avg_age', 'average age')])
    + w.queryValue.withPrecision(1)
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(ageGoodDays, ageWarnDays)),
  oldestBug(q)::
    qv('Oldest Open Bug (days)', 'oldest', q)
    + w.queryValue.withFormulas([days('oldest', 'oldest bug')])
    + w.queryValue.withDescription('Age of the oldest open bug. Green up to %d days, yellow up to %d, red above.'
                                   % [ageWarnDays, oldestErrorDays])
    + w.queryValue.withConditionalFormats(thresholds.trafficLightLowerIsBetter(ageWarnDays, oldestErrorDays)),
  bugAgeTrend(average, oldest)::
    series('Bug Age Over Time (days)', [['avg_age', average], ['oldest', oldest]])
    + w.timeseries.withFormulas([days('avg_age', 'average age'), days('oldest', 'oldest bug')])
    + w.timeseries.withPalette(palettes.series.warm)
    + w.timeseries.withMarkers([
      thresholds.marker(ageWarnDays, 'average target %dd' % ageWarnDays, 'warning'),
      thresholds.marker(oldestErrorDays, 'oldest limit %dd' % oldestErrorDays, 'error'),
    ]),
  ageGuidelineNote()::
    w.note.new(|||
      ### Reading bug age
      - **Average age** under %(good)d days: bugs flow. %(good)d to %(warn)d days: triage keeps up but fixes lag.
        Above %(warn)d days: the backlog is ageing; plan a bug-fix pass.
      - **Oldest bug** above %(limit)d days: fix it, or close it as won't fix; a rising oldest age with a flat
        average means one bug is forgotten, both rising means the team is falling behind.
      - Read with **Bug Velocity**: completed above created for a few weeks brings both ages down.
    ||| % { good: ageGoodDays, warn: ageWarnDays, limit: oldestErrorDays })
    + w.note.withBackgroundColor('white'),
}
