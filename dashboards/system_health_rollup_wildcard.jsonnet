// System Health Rollup as one Vega-Lite heatmap: every FoM (rows) x the last 7 days (columns), one wildcard
// widget on a fixed one-week window.
local dashboard = import 'dashboard.libsonnet';
local health = import 'health.libsonnet';
local layout = import 'layout.libsonnet';
local w = import 'widgets.libsonnet';

local areas = [health.areas[key] for key in health.areaOrder];

local about = w.note.new(|||
  ## System Health Rollup (Vega-Lite)
  The whole rollup in one heatmap: one row per Figure of Merit (CI, then training, then eval), one column per
  day (today, then 1 to 6 days back). CI FoMs are the published `health.ci.*.fom` metrics; training and eval
  FoMs are computed from their raw metrics until a collector publishes them. Each cell is its own day (the latest
  value of the last 24 h, then 1 to 6 days back); gray when nothing reported. Hover a cell for its value.
|||) + w.note.withBackgroundColor('white');

dashboard.new('System Health Rollup (Vega-Lite)')
+ dashboard.withDescription('Every Figure of Merit (FoM) for the last 7 days as one heatmap. FoM scale 0.0-1.0: '
                            + 'green 0.7-1.0 healthy, yellow 0.3-0.7 warning, red 0.0-0.3 critical, gray no data. '
                            + 'Each cell is one day (the last 24 h, then 1 to 6 days back).')
+ dashboard.withDefaultTimeframe(1, 'week')
+ dashboard.withWidgets(layout.stack([
  layout.row([about, health.legend()], [8, 4], 3),
  layout.full(health.heatmap('FoM by Day (last 7 days)', areas), 12),
  layout.full(health.quickLinks([['System Health Rollup (table view)', 'system_health_rollup']] + health.dashboards), 3),
]))
