// EC2 presets: units on storage, cost and age; yellow for capacity paid for but unused.
local ec2 = import 'ec2.libsonnet';

local request(widget) = widget.definition.requests[0];
local unitOf(widget) = request(widget).formulas[0].number_format.unit.unit_name;

{
  units: std.assertEqual(
    [unitOf(ec2.volumeStorage('q')), unitOf(ec2.snapshotStorage('q')), unitOf(ec2.hourlyCost('q')),
     unitOf(ec2.monthlyCost('q')), unitOf(ec2.spotSavings('q')), unitOf(ec2.averageInstanceAge('q'))],
    ['gibibyte', 'gibibyte', 'dollar', 'dollar', 'percent', 'day'],
  ),

  idleAndUnattachedAreYellowWhenAny: std.assertEqual(
    [request(ec2.idleInstances('q')).conditional_formats[0], request(ec2.volumesUnattached('q')).conditional_formats[0]],
    [{ comparator: '>', value: 0, palette: 'white_on_yellow' }, { comparator: '>', value: 0, palette: 'white_on_yellow' }],
  ),

  spotSavingsHigherIsBetter: std.assertEqual(
    [[f.comparator, f.value, f.palette] for f in request(ec2.spotSavings('q')).conditional_formats],
    [['>=', 50, 'white_on_green'], ['>=', 20, 'white_on_yellow'], ['<', 20, 'white_on_red']],
  ),

  instanceMixStacksSpotAndOnDemandUnderTypeLines: std.assertEqual(
    local d = ec2.instanceMix('a', 'b', 'c', 'd').definition;
    [d.requests[0].display_type, [f.formula for f in d.requests[0].formulas],
     d.requests[1].display_type, [f.formula for f in d.requests[1].formulas]],
    ['area', ['spot', 'ondemand'], 'line', ['gpu', 'cpu']],
  ),
}
