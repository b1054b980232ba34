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
  publishes them (their section titles say so). Every cell is its own day: the latest value of that day, blank
  (gray) when nothing reported. Click a row for its detail dashboard.
|||) + w.note.withBackgroundColor('white');

// Three rows a line: each row is a small table (a column per day), so the 19 FoMs take 8 lines, not 19.
local area(key) =
  layout.section(health.sectionTitle(areas[key]), areas[key].color, [
    layout.grid(health.rows(areas[key]), 4, 2),
  ]);

dashboard.new('System Health Rollup')
+ dashboard.withDescription('Executive view of system health: every Figure of Merit (FoM) for the last 7 days. '
                            + 'FoM scale 0.0-1.0: green 0.7-1.0 healthy, yellow 0.3-0.7 warning, '
                            + 'red 0.0-0.3 critical, gray no data. Each cell is one day (the last 24 h, then 1 to 6 days back).')
+ dashboard.withDefaultTimeframe(1, 'week')
+ dashboard.withWidgets(layout.stack([
  layout.full(about, 2),
  layout.section('Health Scores', 'gray', [
    layout.row(health.headlines() + [health.legend()], 3, 2),
  ]),
  area('ci'),
  area('training'),
  area('eval'),
  layout.full(health.quickLinks(health.dashboards + [['System Health Rollup (Vega-Lite)', 'system_health_rollup_wildcard']]), 3),
]))
