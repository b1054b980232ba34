local util = import 'util.libsonnet';

std.assertEqual(util.closest('dog_clasic', ['dog_classic', 'cool']), 'dog_classic')
&& std.assertEqual(util.closest('lines', ['line', 'area', 'bars']), 'line')
&& std.assertEqual(util.closest('withDisplaytype', ['withDisplayType', 'withPalette']), 'withDisplayType')
&& std.assertEqual(util.closest('x', ['s', 'l']), null)
&& std.assertEqual(util.closest('zebra', ['line', 'area']), null)
&& std.assertEqual(util.closest(3, ['line']), null)
&& std.assertEqual(util.didYouMean('vivid_bleu', ['vivid_blue', 'blue']), ' (did you mean "vivid_blue"?)')
&& std.assertEqual(util.didYouMean('nothing like it', ['vivid_blue']), '')
