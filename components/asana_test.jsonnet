// Asana presets: red flags on projects at risk / off track, bug age in days with its traffic light.
local asana = import 'asana.libsonnet';

local request(widget) = widget.definition.requests[0];

{
  atRiskAndOffTrackAreRedWhenAny: std.assertEqual(
    [request(asana.projectsAtRisk('q')).conditional_formats, request(asana.projectsOffTrack('q')).conditional_formats],
    [
      [{ comparator: '>', value: 0, palette: 'white_on_red' }, { comparator: '<=', value: 0, palette: 'white_on_green' }],
      [{ comparator: '>', value: 0, palette: 'white_on_red' }, { comparator: '<=', value: 0, palette: 'white_on_green' }],
    ],
  ),

  oldestBugIsDaysWithThresholds30And90: std.assertEqual(
    local r = request(asana.oldestBug('max:asana.projects.bugs.oldest_bug_days{$env}'));
    [r.formulas[0].number_format.unit.unit_name, [[f.comparator, f.value] for f in r.conditional_formats]],
    ['day', [['<=', 30], ['<=', 90], ['>', 90]]],
  ),

  netNewBugsIsCreatedMinusCompleted: std.assertEqual(
    request(asana.netBugs7d('c', 'd')).formulas[0].formula, 'created - completed',
  ),

  velocityDrawsNetNewAsBars: std.assertEqual(
    local d = asana.bugVelocity('c', 'd').definition;
    [std.length(d.requests), d.requests[1].display_type, d.requests[1].formulas[0].formula],
    [2, 'bars', 'created - completed'],
  ),
}
