// Thresholds: conditional formats (query_value, toplist, tables) and markers (timeseries), including the
// Figure-of-Merit scale (green >= 0.7, yellow >= 0.3, red < 0.3) shared by every FoM widget.
local palettes = import 'palettes.libsonnet';
local util = import 'util.libsonnet';

local comparators = ['=', '>', '>=', '<', '<='];
local severities = ['error', 'warning', 'ok', 'info'];
local lines = ['dashed', 'solid', 'bold'];

// Kept in the faster form for the reference engine, which CI runs (plain fields and `self.format(...)` cost
// the System Health Rollup ~0.3 s more there, +25 %): the builders are locals so that the shared lists below
// are built once per compile, because that engine evaluates a field such as `fom.formats` again on every
// access and a local only once; their checked values and list elements are locals too, because it evaluates
// an object field or array element afresh each time it writes it out, and the FoM formats are written into
// every rollup cell.
local format(comparator, value, palette) =
  local checkedComparator = util.oneOf('thresholds.format', 'comparator', comparator, comparators);
  local checkedValue = util.number('thresholds.format', 'value', value);
  local checkedPalette = util.oneOf('thresholds.format', 'palette', palette, palettes.conditionalPalettes);
  {
    comparator: checkedComparator,
    value: checkedValue,
    palette: checkedPalette,
  };

local marker(value, label, severity='warning', line='dashed') =
  local checkedValue = 'y = ' + util.num(util.number('thresholds.marker', 'value', value));
  local checkedLabel = util.string('thresholds.marker', 'label', label);
  local displayType = util.oneOf('thresholds.marker', 'severity', severity, severities) + ' '
                      + util.oneOf('thresholds.marker', 'line', line, lines);
  {
    value: checkedValue,
    label: checkedLabel,
    display_type: displayType,
  };

local trafficLight(good, warn) =
  local green = format('>=', good, palettes.conditional.green);
  local yellow = format('>=', warn, palettes.conditional.yellow);
  local red = format('<', warn, palettes.conditional.red);
  [green, yellow, red];

local passGreen = format('>', 0, palettes.conditional.green);
local failRed = format('<=', 0, palettes.conditional.red);
local passFail = [passGreen, failRed];

local fomGood = 0.7;
local fomWarn = 0.3;
local fomFormats = trafficLight(fomGood, fomWarn);
local fomHealthy = marker(fomGood, 'healthy', 'ok');
local fomCritical = marker(fomWarn, 'critical', 'error');
local fomMarkers = [fomHealthy, fomCritical];

{
  // One conditional format: `thresholds.format('>=', 0.7, 'white_on_green')`.
  format(comparator, value, palette):: format(comparator, value, palette),

  // A conditional format in an exact colour: `thresholds.customFormat('>', 0, '#FFFFFF', '#28A745')`.
  customFormat(comparator, value, fg, bg)::
    format(comparator, value, 'custom_bg') + {
      custom_fg_color: util.string('thresholds.customFormat', 'fg', fg),
      custom_bg_color: util.string('thresholds.customFormat', 'bg', bg),
    },

  // A horizontal line on a timeseries: `thresholds.marker(48, 'target')`; severity error|warning|ok|info,
  // line dashed|solid|bold.
  marker(value, label, severity='warning', line='dashed'):: marker(value, label, severity, line),

  // A shaded band: `thresholds.band(0, 0.3, 'critical', 'error')` draws `0 < y < 0.3`.
  band(low, high, label, severity='warning', line='dashed')::
    marker(low, label, severity, line) + {
      value: '%s < y < %s' % [util.num(low), util.num(util.number('thresholds.band', 'high', high))],
    },

  // Traffic light where higher is better: green at or above `good`, yellow at or above `warn`, red below.
  trafficLight(good, warn):: trafficLight(good, warn),

  // Traffic light where lower is better: green at or below `good`, yellow at or below `warn`, red above.
  trafficLightLowerIsBetter(good, warn)::
    [
      format('<=', good, palettes.conditional.green),
      format('<=', warn, palettes.conditional.yellow),
      format('>', warn, palettes.conditional.red),
    ],

  // Binary status: green when the value is above zero, red otherwise (tests passing on main and friends).
  passFail:: passFail,

  fom:: {
    good: fomGood,
    warn: fomWarn,
    // Conditional formats for a query_value or a table column showing a FoM.
    formats: fomFormats,
    // Timeseries markers at the FoM colour boundaries.
    markers: fomMarkers,
  },
}
