// Colours and palette names in one place, so every dashboard speaks the same traffic-light language.
local util = import 'util.libsonnet';

{
  // Hex colours of the traffic light (the rollup and the notes use the same ones).
  colors:: {
    green: '#28A745',
    yellow: '#FFC107',
    red: '#DC3545',
    gray: '#6C757D',
  },

  // Conditional-format palettes (WidgetPalette) for each traffic-light state.
  conditional:: {
    green: 'white_on_green',
    yellow: 'white_on_yellow',
    red: 'white_on_red',
    gray: 'white_on_gray',
  },

  // Series palettes for requests (style.palette) and formulas.
  series:: {
    classic: 'dog_classic',
    cool: 'cool',
    warm: 'warm',
    purple: 'purple',
    orange: 'orange',
    gray: 'grey',
    green: 'green',
    red: 'red',
    blue: 'blue',
    semantic: 'semantic',
    datadog16: 'datadog16',
  },

  // Background colours a group (section) or a note accepts.
  backgrounds:: ['white', 'blue', 'purple', 'pink', 'orange', 'yellow', 'green', 'gray', 'vivid_blue',
                 'vivid_purple', 'vivid_pink', 'vivid_orange', 'vivid_yellow', 'vivid_green', 'transparent'],

  background(where, color):: util.oneOf(where, 'background colour', color, self.backgrounds),

  // A series palette of palettes.series, by value ('warm') as Datadog names it.
  seriesPalette(where, palette):: util.oneOf(where, 'palette', palette, std.objectValues(self.series)),
}
