// Datadog's formulas-and-functions model: named metric queries, and formulas over those names.
//   query.metric('open', 'avg:github.prs.open{$env}') + query.withAggregator('last')
//   formula.new('100 * (total - failed) / total') + formula.withAlias('success %') + formula.withUnit('percent')
// Filter scopes are plain Datadog text: a query string holds `{$env}` for each template variable it honours
// (templates.filter([...]) writes that part). Queries and formulas are built with the generated core's builders
// (gen/core.libsonnet), which check each field and name the allowed values.
local core = import 'gen/core.libsonnet';
local palettes = import 'palettes.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local util = import 'util.libsonnet';

local metricQuery = core.objects.formulaAndFunctionMetricQueryDefinition;
local widgetFormula = core.objects.widgetFormula;
local spaces = ['avg', 'sum', 'min', 'max'];
// Character sets as objects: std.objectHasEx is one builtin lookup (std.set and std.setMember run in Jsonnet).
local charSet(chars) = { [c]: true for c in std.stringChars(chars) };
local letters = charSet('abcdefghijklmnopqrstuvwxyz');
local nameChars = charSet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_');
local namePattern(where, name) =
  local ok = std.length(name) > 0
             && std.objectHasEx(letters, std.asciiLower(name[0]), true)
             && std.length(std.filter(function(c) !std.objectHasEx(nameChars, c, true), std.stringChars(name))) == 0;
  if ok then name
  else error '%s: query name %s must start with a letter and hold only letters, digits and _' % [
    where, std.manifestJsonMinified(name),
  ];

{
  query:: {
    // A named metric query; `q` is the full Datadog query, e.g. 'avg:github.prs.open{$env}'.
    // Checked once, in locals: object fields are evaluated again on every access, and widgets read `name` often.
    metric(name=util.missing('query.metric', 'name', 'the name formulas refer to'),
           q=util.missing('query.metric', 'q', "a Datadog metric query such as 'avg:my.metric{*}'"))::
      local checkedName = namePattern('query.metric', util.string('query.metric', 'name', name));
      local checkedQuery = util.string('query.metric', 'q', q);
      metricQuery.new(checkedQuery, checkedName),

    // Time aggregation to one number, for scalar widgets (query_value, toplist, tables, ...).
    // Scalar widgets default to 'avg' when a query sets none.
    withAggregator:: metricQuery.withAggregator,

    // 'space:metric{filter}', e.g. query.expr('avg', 'github.prs.open', '$env').
    expr(space, metric, filter)::
      util.oneOf('query.expr', 'space', space, spaces) + ':' + util.string('query.expr', 'metric', metric)
      + '{' + util.string('query.expr', 'filter', filter) + '}',

    // Append a `by {tag,...}` grouping to a query string.
    by(q, tags):: std.toString(q) + ' by {' + std.join(',', util.nonEmptyList('query.by', 'tags', util.asList(tags))) + '}',

    // A formula expression reading query `name` shifted into the past: timeshift(name, -86400 * days).
    timeshift(name, days)::
      if days == 0 then name
      else 'timeshift(' + std.toString(name) + ', -' + util.int(86400 * util.integer('query.timeshift', 'days', days, 1)) + ')',
    timeshiftSeconds(name, seconds)::
      'timeshift(' + std.toString(name) + ', -' + util.int(util.integer('query.timeshiftSeconds', 'seconds', seconds, 1)) + ')',
  },

  formula:: {
    new(expression=util.missing('formula.new', 'expression', "e.g. 'query1' or '100 * a / b'"))::
      widgetFormula.new(util.string('formula.new', 'expression', expression)),
    withAlias(alias):: widgetFormula.withAlias(util.string('formula.withAlias', 'alias', alias)),
    // A canonical unit such as 'minute', 'hour', 'percent', 'byte' (number_format.unit).
    withUnit(unitName):: widgetFormula.numberFormat.withUnit(
      { type: 'canonical_unit', unit_name: util.string('formula.withUnit', 'unitName', unitName) }
    ),
    // A free unit label of 1 to 12 characters, e.g. 'PRs' (the API rejects `custom_unit`; this is its place).
    withUnitLabel(label):: widgetFormula.numberFormat.withUnit({
      type: 'custom_unit_label',
      label: if std.isString(label) && std.length(label) >= 1 && std.length(label) <= 12 then label
      else error 'formula.withUnitLabel: label must be 1 to 12 characters, got %s' % std.manifestJsonMinified(label),
    }),
    // Keep the top (desc) or bottom (asc) `count` groups (scalar widgets).
    withLimit(count, order='desc')::
      widgetFormula.limit.withCount(util.integer('formula.withLimit', 'count', count, 1))
      + widgetFormula.limit.withOrder(order),
    withConditionalFormats(formats):: widgetFormula.withConditionalFormats(util.asList(formats)),
    withConditionalFormatsMixin(formats):: widgetFormula.withConditionalFormatsMixin(util.asList(formats)),
    // Colour the FoM scale (green >= 0.7, yellow >= 0.3, red below).
    withFomFormats():: self.withConditionalFormats(thresholds.fom.formats),
    withPalette(palette):: widgetFormula.style.withPalette(palettes.seriesPalette('formula.withPalette', palette)),
    // Table columns: number | bar | trend.
    withCellDisplayMode(mode):: widgetFormula.withCellDisplayMode(mode),
  },
}
