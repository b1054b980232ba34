// Thresholds: conditional formats (query_value, toplist, tables) and markers (timeseries), including the
// Figure-of-Merit scale (green >= 0.7, yellow >= 0.3, red < 0.3) shared by every FoM widget.
local palettes = import 'palettes.libsonnet';
local util = import 'util.libsonnet';

local severities = ['error', 'warning', 'ok', 'info'];
local lines = ['dashed', 'solid', 'bold'];

// Conditional formats and markers are the generated core's objects (gen/): it checks the comparator, the
// palette and the types against the spec and names the allowed values. The veneer adds the marker's
// `y = value` and `severity line` wording. Locals, not fields: the reference engine, which CI runs, evaluates a
// field again on every access, and the FoM formats below are written into every rollup cell.
local conditionalFormat = import 'gen/widget_conditional_format.libsonnet';
local widgetMarker = import 'gen/widget_marker.libsonnet';

local format(comparator, value, palette) =
  conditionalFormat.new()
  + conditionalFormat.withComparator(comparator)
  + conditionalFormat.withValue(value)
  + conditionalFormat.withPalette(palette);

local marker(value, label, severity='warning', line='dashed') =
  local level = util.oneOf('thresholds.marker', 'severity', severity, severities);
  local style = util.oneOf('thresholds.marker', 'line', line, lines);
  widgetMarker.new('y = %s' % util.num(util.number('thresholds.marker', 'value', value)))
  + widgetMarker.withLabel(util.string('thresholds.marker', 'label', label))
  + widgetMarker.withDisplayType('%s %s' % [level, style]);

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
    format(comparator, value, 'custom_bg')
    + conditionalFormat.withCustomFgColor(util.string('thresholds.customFormat', 'fg', fg))
    + conditionalFormat.withCustomBgColor(util.string('thresholds.customFormat', 'bg', bg)),

  // A horizontal line on a timeseries: `thresholds.marker(48, 'target')`; severity error|warning|ok|info,
  // line dashed|solid|bold.
  marker(value, label, severity='warning', line='dashed'):: marker(value, label, severity, line),

  // A shaded band: `thresholds.band(0, 0.3, 'critical', 'error')` draws `0 < y < 0.3`.
  band(low, high, label, severity='warning', line='dashed')::
    marker(low, label, severity, line)
    + widgetMarker.withValue('%s < y < %s' % [util.num(util.number('thresholds.band', 'low', low)), util.num(util.number('thresholds.band', 'high', high))]),

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
