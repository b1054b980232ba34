// Skypilot presets: runtimes in hours, the stuck-job marker, the success-rate formula and the chart kinds.
local skypilot = import 'skypilot.libsonnet';

local q = 'avg:skypilot.jobs.runtime_seconds.p50{$env}';
local percentiles = skypilot.runtimePercentiles(q, q, q).definition;
local request(widget) = widget.definition.requests[0];

{
  runtimesAreHours: std.assertEqual(
    [[f.formula, f.number_format.unit.unit_name] for f in percentiles.requests[0].formulas],
    [['p50 / 3600', 'hour'], ['p90 / 3600', 'hour'], ['p99 / 3600', 'hour']],
  ),

  stuckJobsMarkerAt48Hours: std.assertEqual(
    percentiles.markers,
    [{ value: 'y = 48', label: 'p99 > 48h: stuck jobs', display_type: 'error dashed' }],
  ),

  longestJobIsHoursAndTurnsRedPastTheStuckLine: std.assertEqual(
    local r = request(skypilot.longestRuntime('max:skypilot.jobs.runtime_seconds.max{$env}'));
    [r.formulas[0].formula, r.conditional_formats[2]],
    ['max_runtime / 3600', { comparator: '>', value: 48, palette: 'white_on_red' }],
  ),

  successRateFormula: std.assertEqual(
    request(skypilot.successRate('a', 'b')).formulas[0].formula,
    '100 * (succeeded / (succeeded + failed))',
  ),

  jobStatesAreStackedAreasInTrafficLightColours: std.assertEqual(
    local r = request(skypilot.jobStates('r', 'q', 'f'));
    [r.display_type, [f.style.palette for f in r.formulas]],
    ['area', ['green', 'orange', 'red']],
  ),

  runtimeBucketsAreBars: std.assertEqual(
    local r = request(skypilot.runtimeBuckets('a', 'b', 'c', 'd'));
    [r.display_type, [f.alias for f in r.formulas]],
    ['bars', ['0-1h', '1-4h', '4-24h', '>24h']],
  ),

  recoveryNoteNamesTheUnchartedMetrics: std.assertEqual(
    local content = skypilot.recoveryNote().definition.content;
    [std.length(std.findSubstr(m, content)) > 0
     for m in ['skypilot.jobs.recovery_count.avg', 'skypilot.jobs.recovery_count.max']],
    [true, true],
  ),
}
