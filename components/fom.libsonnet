// Figures of Merit: one raw metric mapped onto [0, 1] (1 healthy, 0 critical), declared once and read two ways:
//   - the published `health.*.fom` metric (when a FoM collector writes it), and
//   - an inline Datadog formula computing the FoM from the raw metric, so a dashboard works without one.
// Rules (see foms.libsonnet for the declarations):
//   linear(good, bad)          clamp((x - bad) / (good - bad), 0, 1): either direction
//   binary('positive'|'zero')  1 when x > 0 (or x == 0), else 0
//   band(low, high, below, zeroAt)  1 inside [low, high]; `below` under low; falls from 1 at high to 0 at zeroAt
//   absDelta(scale)            1 - |x| / scale, clamped
// Steps are written with arithmetic and clamps only: step(x >= a) = clamp((x - a) * 1000000 + 1, 0, 1).
local q = import 'query.libsonnet';
local w = import 'widgets.libsonnet';
local util = import 'util.libsonnet';

// Formulas are built with `+`, not std.format: a rollup builds hundreds of them and std.format runs in Jsonnet.
local steep = '1000000';
local n = util.num;
local clamp(expr) = 'clamp_min(clamp_max(' + expr + ', 1), 0)';

// Fields read locals, checked once: a field is evaluated again on every access, and every cell reads its FoM.
local declare(where, title, metric, raw, rule) =
  local checkedTitle = util.string(where, 'title', title);
  local checkedMetric = util.string(where, 'metric', metric);
  local checkedRaw = util.string(where, 'raw', raw);
  {
    title: checkedTitle,
    metric: checkedMetric,
    raw: checkedRaw,
    rule: rule,
    // Space aggregation of the raw query (fom.withRawSpace('sum') for counts summed over tags).
    rawSpace: 'avg',
  };

{
  linear(title, metric, raw, good, bad)::
    local g = util.number('fom.linear', 'good', good), b = util.number('fom.linear', 'bad', bad);
    if g == b then error 'fom.linear: good and bad must differ (%s): %s' % [n(g), metric]
    else declare('fom.linear', title, metric, raw, { kind: 'linear', good: g, bad: b }),

  binary(title, metric, raw, passWhen)::
    declare('fom.binary', title, metric, raw,
            { kind: 'binary', passWhen: util.oneOf('fom.binary', 'passWhen', passWhen, ['positive', 'zero']) }),

  band(title, metric, raw, low, high, below, zeroAt)::
    if !(low < high && high < zeroAt && below >= 0 && below <= 1) then
      error 'fom.band: need low < high < zeroAt and 0 <= below <= 1 (%s)' % metric
    else declare('fom.band', title, metric, raw, { kind: 'band', low: low, high: high, below: below, zeroAt: zeroAt }),

  absDelta(title, metric, raw, scale)::
    if !(std.isNumber(scale) && scale > 0) then error 'fom.absDelta: scale must be a positive number (%s)' % metric
    else declare('fom.absDelta', title, metric, raw, { kind: 'absDelta', scale: scale }),

  withRawSpace(space):: { rawSpace: util.oneOf('fom.withRawSpace', 'space', space, ['avg', 'sum', 'min', 'max']) },

  // The formula of a FoM over `x`, a formula expression for the raw value (a query name, or a timeshift).
  // Comparisons use std.primitiveEquals: `==` calls std.equals, and this runs for every cell of the rollup.
  formula(decl, x)::
    local r = decl.rule;
    local same(value, expected) = std.primitiveEquals(value, expected);
    local xText = std.toString(x);
    if same(r.kind, 'linear') then
      clamp(
        if r.good < r.bad then '(' + n(r.bad) + ' - ' + xText + ') / ' + n(r.bad - r.good)
        else if same(r.bad, 0) then (if same(r.good, 1) then x else xText + ' / ' + n(r.good))
        else '(' + xText + ' - ' + n(r.bad) + ') / ' + n(r.good - r.bad)
      )
    else if same(r.kind, 'binary') then
      if same(r.passWhen, 'positive') then clamp(xText + ' * ' + steep)
      else '1 - clamp_max(abs(' + xText + ') * ' + steep + ', 1)'
    else if same(r.kind, 'band') then
      local reached = clamp('(' + xText + ' - ' + n(r.low) + ') * ' + steep + ' + 1');
      local lower = if same(r.below, 0) then reached else '(' + n(r.below) + ' + ' + n(1 - r.below) + ' * ' + reached + ')';
      local upper = clamp('(' + n(r.zeroAt) + ' - ' + xText + ') / ' + n(r.zeroAt - r.high));
      lower + ' * ' + upper
    else if same(r.kind, 'absDelta') then
      'clamp_min(1 - abs(' + xText + ') / ' + n(r.scale) + ', 0)'
    else error 'fom.formula: unknown rule %s' % std.manifestJsonMinified(r),

  rawQuery(decl, filter='*'):: q.query.expr(decl.rawSpace, decl.raw, filter),
  publishedQuery(decl, filter='*'):: q.query.expr('avg', decl.metric, filter),

  // A query and its formula showing the FoM `daysBack` days ago (0 = now), computed inline from the raw
  // metric: { query: query.metric(...), formula: formula.new(...) } with the formula aliased to the title.
  inline(decl, name, daysBack=0, filter='*')::
    {
      query: q.query.metric(name, $.rawQuery(decl, filter)),
      formula: q.formula.new($.formula(decl, q.query.timeshift(name, daysBack))) + q.formula.withAlias(decl.title),
    },

  // The same from the published health.*.fom metric.
  published(decl, name, daysBack=0, filter='*')::
    {
      query: q.query.metric(name, $.publishedQuery(decl, filter)),
      formula: q.formula.new(q.query.timeshift(name, daysBack)) + q.formula.withAlias(decl.title),
    },

  // One of the two above by name: source 'inline' (from the raw metric) or 'published' (health.*.fom).
  read(decl, name, source='inline', daysBack=0, filter='*')::
    if std.primitiveEquals(source, 'inline') then $.inline(decl, name, daysBack, filter)
    else if std.primitiveEquals(source, 'published') then $.published(decl, name, daysBack, filter)
    else error "fom: source must be 'inline' or 'published', got %s" % std.manifestJsonMinified(source),

  // A query_value cell with the FoM colours (one cell of the rollup grid), `daysBack` days ago.
  queryValue(decl, source='inline', daysBack=0, filter='*')::
    local cell = $.read(decl, 'fom', source, daysBack, filter);
    w.queryValue.new(decl.title, [cell.query])
    + w.queryValue.withFormulas([cell.formula])
    + w.queryValue.withPrecision(2)
    + w.queryValue.withFomFormats(),

  // The FoM over time as an area chart on [0, 1] with lines at 0.7 and 0.3.
  timeseries(decl, source='inline', filter='*')::
    local cell = $.read(decl, 'fom', source, 0, filter);
    w.timeseries.new(decl.title, [cell.query])
    + w.timeseries.withFormulas([cell.formula])
    + w.timeseries.withDisplayType('area')
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withYAxisMax(1)
    + w.timeseries.withFomMarkers(),

  // The mean of several FoMs as one formula over queries named f0, f1, ...
  averageFormula(decls, source='inline', daysBack=0)::
    local terms = [
      local x = q.query.timeshift('f' + i, daysBack);
      if source == 'inline' then $.formula(decls[i], x) else x
      for i in std.range(0, std.length(decls) - 1)
    ];
    '(' + std.join(' + ', terms) + ') / ' + std.length(decls),

  // A query_value showing the mean FoM of a group (e.g. 'CI/CD Health' over foms.ci).
  average(title, decls, source='inline', daysBack=0, filter='*')::
    w.queryValue.new(title, [$.read(decls[i], 'f' + i, source, 0, filter).query for i in std.range(0, std.length(decls) - 1)])
    + w.queryValue.withFormulas([q.formula.new($.averageFormula(decls, source, daysBack)) + q.formula.withAlias(title)])
    + w.queryValue.withPrecision(2)
    + w.queryValue.withFomFormats(),
}
