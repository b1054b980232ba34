// GitHub CI/CD: pull requests, CI health, code quality and developer activity from the GitHub collector.
local dashboard = import 'dashboard.libsonnet';
local github = import 'github.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

local filter = templates.filter([templates.env]);
local queries = {
  openPrs: 'avg:github.prs.open{%s}' % filter,
  merged7d: 'sum:github.prs.merged_7d{%s}' % filter,
  activeDevelopers: 'avg:github.developers.active_7d{%s}' % filter,
  testsOnMain: 'avg:github.ci.tests_passing_on_main{%s}' % filter,
  cycleTime: 'avg:github.prs.cycle_time_hours{%s}' % filter,
  stalePrs: 'avg:github.prs.stale_count_14d{%s}' % filter,
  hotfixes: 'sum:github.commits.hotfix{%s}' % filter,
  reverts: 'sum:github.commits.reverts{%s}' % filter,
  failedWorkflows: 'sum:github.ci.failed_workflows_7d{%s}' % filter,
  workflowRuns: 'sum:github.ci.workflow_runs_7d{%s}' % filter,
  durationP50: 'avg:github.ci.duration_p50_minutes{%s}' % filter,
  durationP90: 'avg:github.ci.duration_p90_minutes{%s}' % filter,
  durationP99: 'avg:github.ci.duration_p99_minutes{%s}' % filter,
  commitsPerDeveloper: 'avg:github.commits.per_developer_7d{%s}' % filter,
};

local about = w.note.new(|||
  ## GitHub CI/CD
  Pull requests, CI health and code quality for the main repository, from the GitHub collector.
  Dashed lines mark targets. Related: %s · %s
||| % [
  links.markdown('System Health Rollup', 'system_health_rollup'),
  links.markdown('Skypilot Jobs', 'skypilot_jobs'),
]) + w.note.withBackgroundColor('white');

dashboard.new('GitHub CI/CD')
+ dashboard.withDescription('Engineering health of the main repository: PR velocity, CI reliability and speed, '
                            + 'code quality and developer activity. Opens on the past 30 days.')
+ dashboard.withDefaultTimeframe(30, 'day')
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Current Status', 'vivid_blue', [
    layout.row([
      github.openPrs(queries.openPrs),
      github.prsMerged7d(queries.merged7d),
      github.activeDevelopers(queries.activeDevelopers),
      github.testsOnMain(queries.testsOnMain),
    ], 3, 2),
  ]),
  layout.section('PR Velocity', 'vivid_purple', [
    layout.row([github.cycleTime(queries.cycleTime), github.stalePrs(queries.stalePrs)], 6, 3),
  ]),
  layout.section('Code Quality', 'vivid_orange', [
    layout.grid([
      github.hotfixes(queries.hotfixes),
      github.reverts(queries.reverts),
      github.failedWorkflows(queries.failedWorkflows),
      github.forceMergesPlaceholder(),
    ], 6, 3),
  ]),
  layout.section('CI Performance', 'vivid_green', [
    layout.row([
      github.ciDuration(queries.durationP50, queries.durationP90, queries.durationP99),
      github.workflowSuccessRate(queries.workflowRuns, queries.failedWorkflows),
    ], 6, 3),
  ]),
  layout.section('Developer Activity', 'gray', [
    layout.row([
      github.commitsPerDeveloper(queries.commitsPerDeveloper),
      github.topContributorsPlaceholder(),
    ], 6, 3),
  ]),
]))
