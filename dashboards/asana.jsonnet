// Asana Project Management: project health and the bug lifecycle (status, velocity, age) from the Asana collector.
local asana = import 'asana.libsonnet';
local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

local filter = templates.filter([templates.env]);
local queries = {
  active: 'avg:asana.projects.active{%s}' % filter,
  onTrack: 'avg:asana.projects.on_track{%s}' % filter,
  atRisk: 'avg:asana.projects.at_risk{%s}' % filter,
  offTrack: 'avg:asana.projects.off_track{%s}' % filter,
  bugsOpen: 'avg:asana.projects.bugs.total_open{%s}' % filter,
  bugsTriage: 'avg:asana.projects.bugs.triage_count{%s}' % filter,
  bugsActive: 'avg:asana.projects.bugs.active_count{%s}' % filter,
  bugsBacklog: 'avg:asana.projects.bugs.backlog_count{%s}' % filter,
  bugsOther: 'avg:asana.projects.bugs.other_count{%s}' % filter,
  created7d: 'avg:asana.projects.bugs.created_7d{%s}' % filter,
  completed7d: 'avg:asana.projects.bugs.completed_7d{%s}' % filter,
  completed30d: 'avg:asana.projects.bugs.completed_30d{%s}' % filter,
  avgAge: 'avg:asana.projects.bugs.avg_age_days{%s}' % filter,
  oldestBug: 'max:asana.projects.bugs.oldest_bug_days{%s}' % filter,
};

local about = w.note.new(|||
  ## Asana Project Management
  Project status updates and the bug lifecycle from Asana: what is open, how fast bugs are filed and closed,
  and how old they get. Red asks for attention now. Related: %s · %s · %s
||| % [
  links.markdown('System Health Rollup', 'system_health_rollup'),
  links.markdown('GitHub CI/CD', 'github_cicd'),
  links.markdown('Skypilot Jobs', 'skypilot_jobs'),
]) + w.note.withBackgroundColor('white');

dashboard.new('Asana Project Management')
+ dashboard.withDescription('Asana projects and bugs: project health (on track, at risk, off track), open bugs by '
                            + 'status, bug velocity and bug age. Opens on the past 30 days.')
+ dashboard.withDefaultTimeframe(30, 'day')
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Project Health', 'vivid_blue', [
    layout.row([
      asana.activeProjects(queries.active),
      asana.projectsOnTrack(queries.onTrack),
      asana.projectsAtRisk(queries.atRisk),
      asana.projectsOffTrack(queries.offTrack),
    ], 3, 2),
    layout.full(asana.projectHealthTrend(queries.onTrack, queries.atRisk, queries.offTrack, queries.active), 3),
  ]),
  layout.section('Bug Status', 'vivid_orange', [
    layout.row([
      asana.openBugs(queries.bugsOpen),
      asana.bugsInTriage(queries.bugsTriage),
      asana.activeBugs(queries.bugsActive),
      asana.backlogBugs(queries.bugsBacklog),
    ], 3, 2),
    layout.full(asana.bugStatusTrend(queries.bugsTriage, queries.bugsActive, queries.bugsBacklog, queries.bugsOther), 3),
  ]),
  layout.section('Bug Velocity', 'vivid_purple', [
    layout.row([
      asana.bugsCreated7d(queries.created7d),
      asana.bugsCompleted7d(queries.completed7d),
      asana.bugsCompleted30d(queries.completed30d),
      asana.netBugs7d(queries.created7d, queries.completed7d),
    ], 3, 2),
    layout.full(asana.bugVelocity(queries.created7d, queries.completed7d), 3),
  ]),
  layout.section('Bug Age', 'vivid_pink', [
    layout.row([
      asana.averageBugAge(queries.avgAge),
      asana.oldestBug(queries.oldestBug),
      asana.bugAgeTrend(queries.avgAge, queries.oldestBug),
    ], [3, 3, 6], 3),
    layout.full(asana.ageGuidelineNote(), 2),
  ]),
]))
