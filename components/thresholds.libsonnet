// Thresholds: conditional formats (query_value, toplist, tables) and markers (timeseries), including the
// Figure-of-Merit scale (green >= 0.7, yellow >= 0.3, red < 0.3) shared by every FoM widget.
local palettes = import 'palettes.libsonnet';
local util = import 'util.libsonnet';

local comparators = ['=', '>', '>=', '<', '<='];
local severities = ['error', 'warning', 'ok', 'info'];
local lines = ['dashed', 'solid', 'bold'];

{
  // One conditional format: `thresholds.format('>=', 0.7, 'white_on_green')`.
  format(comparator, value, palette)::
    {
      comparator: util.oneOf('thresholds.format', 'comparator', comparator, comparators),
      value: util.number('thresholds.format', 'value', value),
      palette: util.oneOf('thresholds.format', 'palette', palette, palettes.conditionalPalettes),
    },

  // A conditional format in an exact colour: `thresholds.customFormat('>', 0, '#FFFFFF', '#28A745')`.
  customFormat(comparator, value, fg, bg)::
    self.format(comparator, value, 'custom_bg') + {
      custom_fg_color: util.string('thresholds.customFormat', 'fg', fg),
      custom_bg_color: util.string('thresholds.customFormat', 'bg', bg),
    },

  // A horizontal line on a timeseries: `thresholds.marker(48, 'target')`; severity error|warning|ok|info,
  // line dashed|solid|bold.
  marker(value, label, severity='warning', line='dashed')::
    {
      value: 'y = ' + util.num(util.number('thresholds.marker', 'value', value)),
      label: util.string('thresholds.marker', 'label', label),
      display_type: util.oneOf('thresholds.marker', 'severity', severity, severities) + ' '
                    + util.oneOf('thresholds.marker', 'line', line, lines),
    },

  // A shaded band: `thresholds.band(0, 0.3, 'critical', 'error')` draws `0 < y < 0.3`.
  band(low, high, label, severity='warning', line='dashed')::
    self.marker(low, label, severity, line) + {
      value: '%s < y < %s' % [util.num(low), util.num(util.number('thresholds.band', 'high', high))],
    },

  // Traffic light where higher is better: green at or above `good`, yellow at or above `warn`, red below.
  trafficLight(good, warn)::
    [
      self.format('>=', good, palettes.conditional.green),
      self.format('>=', warn, palettes.conditional.yellow),
      self.format('<', warn, palettes.conditional.red),
    ],

  // Traffic light where lower is better: green at or below `good`, yellow at or below `warn`, red above.
  trafficLightLowerIsBetter(good, warn)::
    [
      self.format('<=', good, palettes.conditional.green),
      self.format('<=', warn, palettes.conditional.yellow),
      self.format('>', warn, palettes.conditional.red),
    ],

  // Binary status: green when the value is above zero, red otherwise (tests passing on main and friends).
  passFail::
    [
      self.format('>', 0, palettes.conditional.green),
      self.format('<=', 0, palettes.conditional.red),
    ],

  fom:: {
    good: 0.7,
    warn: 0.3,
    // Conditional formats for a query_value or a table column showing a FoM.
    formats: $.trafficLight(self.good, self.warn),
    // Timeseries markers at the FoM colour boundaries.
    markers: [
      $.marker(self.good, 'healthy', 'ok'),
      $.marker(self.warn, 'critical', 'error'),
    ],
  },
}
