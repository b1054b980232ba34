// Collector Health: are the metric collectors running, how long they take, how often they fail and how many
// metrics they publish, with a live feed of their error logs.
local collector = import 'collector.libsonnet';
local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

local filter = templates.filter([templates.env, collector.variable]);
local metric(space, name) = '%s:%s{%s}' % [space, name, filter];
local perCollector(space, name) = w.query.by(metric(space, name), ['collector']);
local queries = {
  errors: metric('sum', 'collector.error_count'),
  slowestRun: metric('max', 'collector.duration_seconds'),
  published: metric('sum', 'collector.metrics_published'),
  statusByCollector: perCollector('min', 'collector.success'),
  durationByCollector: perCollector('max', 'collector.duration_seconds'),
  errorsByCollector: perCollector('sum', 'collector.error_count'),
  publishedByCollector: perCollector('sum', 'collector.metrics_published'),
  // One point per run: counted per day for the last-seen columns.
  runsByCollector: perCollector('sum', 'collector.duration_seconds'),
};

local about = w.note.new(|||
  ## Collector Health
  The collectors behind every dashboard (%s) report each run: success, duration, errors and metrics
  published. A collector that stops publishing leaves its dashboards stale: the status table counts each
  collector's runs per day, so blank (gray) days up to today show since when it has been silent.
  Runbooks: [collectors](%s) · [adding or fixing one](%s). Related: %s · %s · %s · %s · %s · %s · %s
||| % [
  std.join(', ', collector.names),
  collector.runbookLinks[0].link,
  collector.runbookLinks[1].link,
  links.markdown('System Health Rollup', 'system_health_rollup'),
  links.markdown('GitHub CI/CD', 'github_cicd'),
  links.markdown('Training & WandB', 'training'),
  links.markdown('Eval & Testing', 'eval'),
  links.markdown('Skypilot Jobs', 'skypilot_jobs'),
  links.markdown('Asana', 'asana'),
  links.markdown('EC2', 'ec2'),
]) + w.note.withBackgroundColor('white');

local metricNames = w.note.new(|||
  **Metric names the collector will publish.** Upstream documents per-collector health metrics named
  `collector.<name>.duration_seconds` and `collector.<name>.error_count`. This dashboard reads the same
  measures as single metrics tagged `collector:<name>`, so one table row and one series per collector need no
  per-collector query: `collector.success` (1 when the last run succeeded, else 0),
  `collector.duration_seconds`, `collector.error_count` and `collector.metrics_published`. Error logs are read
  from service `%s`.
||| % collector.service) + w.note.withBackgroundColor('gray') + w.note.withFontSize(12);

dashboard.new('Collector Health')
+ dashboard.withDescription('Health of the metric collectors: last run status, duration, errors and metrics '
                            + 'published per collector, and their recent error logs. Opens on the past 7 days.')
+ dashboard.withDefaultTimeframe(7, 'day')
+ dashboard.withTemplateVariables([templates.env, collector.variable])
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Current Status', 'vivid_blue', [
    layout.row([
      collector.errors(queries.errors),
      collector.slowestRun(queries.slowestRun),
      collector.metricsPublished(queries.published),
    ], 4, 2),
    layout.full(collector.statusTable(
      queries.statusByCollector, queries.durationByCollector, queries.errorsByCollector, queries.publishedByCollector,
      queries.runsByCollector,
    ), 4),
  ]),
  layout.section('Performance', 'vivid_purple', [
    layout.row([
      collector.durationByCollector(queries.durationByCollector),
      collector.errorsByCollector(queries.errorsByCollector),
      collector.publishedByCollector(queries.publishedByCollector),
    ], 4, 3),
  ]),
  layout.section('Recent Errors', 'vivid_orange', [
    layout.full(collector.recentErrors(templates.filter([templates.env])), 5),
  ]),
  layout.full(metricNames, 2),
]))
