// Figures of Merit: one raw metric mapped onto [0, 1] (1 healthy, 0 critical), declared once and read two ways:
//   - the published `health.*.fom` metric (when a FoM collector writes it), and
//   - an inline Datadog formula computing the FoM from the raw metric, so a dashboard works without one.
// Rules (see foms.libsonnet for the declarations):
//   linear(good, bad)          clamp((x - bad) / (good - bad), 0, 1): either direction
//   binary('positive'|'zero')  1 when x > 0 (or x == 0), else 0
//   band(low, high, below, zeroAt)  1 inside [low, high]; `below` under low; falls from 1 at high to 0 at zeroAt
//   absDelta(scale)            1 - |x| / scale, clamped
// Steps are written with arithmetic and clamps only: step(x >= a) = clamp((x - a) * 1000000 + 1, 0, 1).
//
// How a FoM is read (the same for the rollup's cells, the detail dashboards' tiles and the headline means):
//   - one cell is one day: the widget is pinned to `window` (the last 24 h) and older days shift it back
//     with timeshift, so a day without data is a blank (gray) cell, never the value of an earlier day;
//   - within that day the FoM takes the *latest* report (`aggregator` 'last'): a FoM describes the state
//     now, so one failure stays in its own day instead of dragging a week's average down;
//   - absDelta FoMs (hearts accuracy) read each run's own delta: the raw metric is queried twice, the
//     largest and the smallest delta among the runs reporting together, and the FoM takes the larger
//     magnitude, so a +15 % run and a -15 % run never average to a perfect 0 %.
local links = import 'links.libsonnet';
local q = import 'query.libsonnet';
local thresholds = import 'thresholds.libsonnet';
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
    // How a cell reads it: the latest value of its one-day window (see the top of this file).
    aggregator: 'last',
    window: '1d',
    // The detail dashboard (file name) a FoM row or tile links to, and its label (fom.withDashboard).
    dashboard: null,
    dashboardTitle: null,
  };

// The raw value at which a linear FoM equals `fom` (6 decimals: 10 - 0.7 * 7 is 5.1000000000000005 in floats).
local rawAt(rule, fom) = std.round((rule.bad + (rule.good - rule.bad) * fom) * 1000000) / 1000000;

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

  // The detail dashboard of a FoM: its rollup row and tile link there (`name` is a dashboard file name).
  withDashboard(name, title):: {
    dashboard: util.string('fom.withDashboard', 'name', name),
    dashboardTitle: util.string('fom.withDashboard', 'title', title),
  },

  // Custom links of every FoM widget: its detail dashboard, then how the FoMs are defined (runbook).
  links(decl)::
    (if decl.dashboard == null then [] else [links.custom('Open ' + decl.dashboardTitle, decl.dashboard)])
    + [links.customUrl('How FoMs are computed', (import 'runbooks.libsonnet').foms)],

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

  // Conditional formats for a widget showing the *raw* metric of a linear FoM, coloured where the FoM turns
  // green (>= 0.7) and red (< 0.3), so a raw tile and its FoM never disagree on the colour.
  rawFormats(decl)::
    local r = decl.rule;
    if !std.primitiveEquals(r.kind, 'linear') then error 'fom.rawFormats: only linear FoMs have raw thresholds (%s)' % decl.metric
    else if r.good < r.bad then thresholds.trafficLightLowerIsBetter(rawAt(r, thresholds.fom.good), rawAt(r, thresholds.fom.warn))
    else thresholds.trafficLight(rawAt(r, thresholds.fom.good), rawAt(r, thresholds.fom.warn)),

  // Timeseries markers for the raw metric of a linear FoM at the same two boundaries, e.g. 'FoM 0.7 at 5.1 min'.
  rawMarkers(decl, unit)::
    local r = decl.rule;
    local at(value) = util.num(rawAt(r, value)) + ' ' + unit;
    if !std.primitiveEquals(r.kind, 'linear') then error 'fom.rawMarkers: only linear FoMs have raw thresholds (%s)' % decl.metric
    else [
      thresholds.marker(rawAt(r, thresholds.fom.good), 'FoM 0.7 (healthy) at ' + at(thresholds.fom.good), 'ok'),
      thresholds.marker(rawAt(r, thresholds.fom.warn), 'FoM 0.3 (critical) at ' + at(thresholds.fom.warn), 'error'),
    ],

  rawQuery(decl, filter='*'):: q.query.expr(decl.rawSpace, decl.raw, filter),
  publishedQuery(decl, filter='*'):: q.query.expr('avg', decl.metric, filter),

  // The raw queries of a FoM named after `name`: one, or for absDelta the largest and the smallest value
  // among the runs reporting together (name_max, name_min).
  rawQueries(decl, name, filter='*')::
    if std.primitiveEquals(decl.rule.kind, 'absDelta') then [
      q.query.metric(name + '_max', q.query.expr('max', decl.raw, filter)),
      q.query.metric(name + '_min', q.query.expr('min', decl.raw, filter)),
    ]
    else [q.query.metric(name, $.rawQuery(decl, filter))],

  // The formula expression of the raw value `daysBack` days ago, over rawQueries(decl, name): for absDelta
  // the larger magnitude of name_max and name_min, max(|a|, |b|) = (|a| + |b| + ||a| - |b||) / 2.
  rawExpression(decl, name, daysBack=0)::
    if std.primitiveEquals(decl.rule.kind, 'absDelta') then
      local a = 'abs(' + q.query.timeshift(name + '_max', daysBack) + ')';
      local b = 'abs(' + q.query.timeshift(name + '_min', daysBack) + ')';
      '(' + a + ' + ' + b + ' + abs(' + a + ' - ' + b + ')) / 2'
    else q.query.timeshift(name, daysBack),

  // The queries and the formula showing the FoM `daysBack` days ago (0 = now), computed inline from the raw
  // metric: { queries: [query.metric(...)], formula: formula.new(...) } with the formula aliased to the title.
  inline(decl, name, daysBack=0, filter='*')::
    {
      queries: $.rawQueries(decl, name, filter),
      formula: q.formula.new($.formula(decl, $.rawExpression(decl, name, daysBack))) + q.formula.withAlias(decl.title),
    },

  // The same from the published health.*.fom metric.
  published(decl, name, daysBack=0, filter='*')::
    {
      queries: [q.query.metric(name, $.publishedQuery(decl, filter))],
      formula: q.formula.new(q.query.timeshift(name, daysBack)) + q.formula.withAlias(decl.title),
    },

  // One of the two above by name: source 'inline' (from the raw metric) or 'published' (health.*.fom).
  read(decl, name, source='inline', daysBack=0, filter='*')::
    if std.primitiveEquals(source, 'inline') then $.inline(decl, name, daysBack, filter)
    else if std.primitiveEquals(source, 'published') then $.published(decl, name, daysBack, filter)
    else error "fom: source must be 'inline' or 'published', got %s" % std.manifestJsonMinified(source),

  // The FoM of one day as a coloured tile (`daysBack` 0: today, the same number as the rollup's 'today'
  // cell): pinned to the FoM's one-day window, latest value, linked to its detail dashboard.
  queryValue(decl, source='inline', daysBack=0, filter='*')::
    local cell = $.read(decl, 'fom', source, daysBack, filter);
    w.queryValue.new(decl.title, cell.queries)
    + w.queryValue.withFormulas([cell.formula])
    + w.queryValue.withAggregator(decl.aggregator)
    + w.queryValue.withTime(decl.window)
    + w.queryValue.withPrecision(2)
    + w.queryValue.withFomFormats()
    + w.queryValue.withDescription($.description(decl))
    + w.queryValue.withCustomLinks($.links(decl)),

  // What a FoM tile or row shows, in words.
  description(decl)::
    decl.title + ': ' + decl.raw + ' mapped onto 0 (critical) to 1 (healthy); its latest value of the last 24 h '
    + "(the System Health Rollup's 'today' cell), blank (gray) when nothing reported. "
    + 'Green >= 0.7, yellow >= 0.3, red < 0.3.',

  // The FoM over time as an area chart on [0, 1] with lines at 0.7 and 0.3.
  timeseries(decl, source='inline', filter='*')::
    local cell = $.read(decl, 'fom', source, 0, filter);
    w.timeseries.new(decl.title, cell.queries)
    + w.timeseries.withFormulas([cell.formula])
    + w.timeseries.withDisplayType('area')
    + w.timeseries.withYAxisMin(0)
    + w.timeseries.withYAxisMax(1)
    + w.timeseries.withFomMarkers(),

  // The mean of several FoMs as one formula over queries named f0, f1, ...
  averageFormula(decls, source='inline', daysBack=0)::
    local terms = [
      if source == 'inline' then $.formula(decls[i], $.rawExpression(decls[i], 'f' + i, daysBack))
      else q.query.timeshift('f' + i, daysBack)
      for i in std.range(0, std.length(decls) - 1)
    ];
    '(' + std.join(' + ', terms) + ') / ' + std.length(decls),

  // A query_value showing the mean FoM of a group (e.g. 'CI/CD Health' over foms.ci), read like its tiles.
  average(title, decls, source='inline', daysBack=0, filter='*')::
    w.queryValue.new(title, std.join([], [$.read(decls[i], 'f' + i, source, 0, filter).queries for i in std.range(0, std.length(decls) - 1)]))
    + w.queryValue.withFormulas([q.formula.new($.averageFormula(decls, source, daysBack)) + q.formula.withAlias(title)])
    + w.queryValue.withAggregator(decls[0].aggregator)
    + w.queryValue.withTime(decls[0].window)
    + w.queryValue.withPrecision(2)
    + w.queryValue.withFomFormats(),
}
