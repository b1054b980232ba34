// System Health Rollup: every Figure of Merit (CI, training, eval) for the last 7 days, on a fixed one-week
// window, coloured with the FoM traffic light. One query_table per FoM: one row, a column per day.
local dashboard = import 'dashboard.libsonnet';
local health = import 'health.libsonnet';
local layout = import 'layout.libsonnet';
local w = import 'widgets.libsonnet';

local areas = health.areas;

local about = w.note.new(|||
  ## System Health Rollup
  Each row is one Figure of Merit (FoM): a raw metric mapped onto 0.0 (critical) to 1.0 (healthy). Columns are
  the last 7 days, today first. CI FoMs are read from the `health.ci.*.fom` metrics the FoM collector publishes;
  training and eval FoMs are computed in the formula from the raw WandB and eval metrics until a collector
  publishes them (their row titles say so). Every widget shows a fixed one-week window.
|||) + w.note.withBackgroundColor('white');

local area(key) =
  layout.section('%s (%d FoMs)' % [areas[key].title, std.length(areas[key].decls)], areas[key].color, [
    layout.stackBlocks([layout.full(row, 2) for row in health.rows(areas[key])]),
  ]);

dashboard.new('System Health Rollup')
+ dashboard.withDescription('Executive view of system health: every Figure of Merit (FoM) for the last 7 days. '
                            + 'FoM scale 0.0-1.0: green 0.7-1.0 healthy, yellow 0.3-0.7 warning, '
                            + 'red 0.0-0.3 critical, gray no data. Widgets are pinned to one week.')
+ dashboard.withDefaultTimeframe(1, 'week')
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Health Scores', 'gray', [
    layout.row(health.headlines() + [health.legend()], 3, 2),
  ]),
  area('ci'),
  area('training'),
  area('eval'),
  layout.full(health.quickLinks([['GitHub CI/CD', 'github_cicd'], ['Skypilot Jobs', 'skypilot_jobs']]), 2),
]))
