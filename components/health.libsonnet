// System Health Rollup presets, layered on fom.libsonnet: the FoM of every area for the last 7 days (today and
// 1..6 days back), coloured with the FoM traffic light, on a fixed one-week window.
//   - row(decl, source): one FoM as a query_table with one row and a column per day,
//   - headline(title, decls, source): the mean FoM of an area (today),
//   - legend() and quickLinks(pairs): the notes around the rollup,
//   - heatmap(title, areas): the whole rollup as one Vega-Lite wildcard widget.
// `source` is 'published' (the health.*.fom metric a FoM collector writes) or 'inline' (the FoM computed in the
// formula from the raw metric, for areas whose collector does not publish FoMs yet).
local fom = import 'fom.libsonnet';
local foms = import 'foms.libsonnet';
local links = import 'links.libsonnet';
local palettes = import 'palettes.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local util = import 'util.libsonnet';
local w = import 'widgets.libsonnet';

local dayCount = 7;
local dayLabel(daysBack) = if daysBack == 0 then 'today' else '-' + util.int(daysBack) + 'd';
// The rollup is pinned to one week, whatever the dashboard's time selector says.
local window = '1w';
// A cell is the FoM at the end of its day: the last point of the (shifted) one-week window.
local aggregator = 'last';
// Separates the FoM title from the day in the wildcard's formula aliases ('Tests Passing|-2d').
local separator = '|';

local checkSource(where, source) = util.oneOf(where, 'source', source, ['published', 'inline']);

{
  days:: std.range(0, dayCount - 1),
  dayLabels:: [dayLabel(d) for d in self.days],
  window:: window,

  // The three areas of the rollup, in order, with where their FoMs come from: the FoM collector publishes
  // the CI FoMs; training and eval FoMs are computed from the WandB and eval collectors' raw metrics.
  areas:: {
    ci: { title: 'CI/CD', decls: foms.ci, source: 'published', color: 'vivid_blue' },
    training: { title: 'Training', decls: foms.training, source: 'inline', color: 'vivid_purple' },
    eval: { title: 'Eval', decls: foms.eval, source: 'inline', color: 'vivid_green' },
  },
  areaOrder:: ['ci', 'training', 'eval'],

  // A formula-safe query name from the FoM metric: health.ci.tests_passing.fom -> ci_tests_passing.
  queryName(decl)::
    local parts = std.split(decl.metric, '.');
    std.join('_', parts[1:std.length(parts) - 1]),

  // What a row reads, in words: the row label says whether the FoM is published or computed.
  rowTitle(decl, source)::
    if checkSource('health.rowTitle', source) == 'published' then
      std.toString(decl.title) + ' · published ' + std.toString(decl.metric)
    else std.toString(decl.title) + ' · computed from ' + std.toString(decl.raw) + ' (FoM collector pending)',

  rowDescription(decl, source)::
    (if source == 'published' then
       'Reads ' + std.toString(decl.metric) + ', written by the FoM collector from ' + std.toString(decl.raw) + '.'
     else
       'No collector publishes ' + std.toString(decl.metric) + ' yet: the FoM is computed in the formula from '
       + std.toString(decl.raw) + '.')
    + ' One column per day: the FoM at the end of that day (today, then 1 to 6 days back). '
    + 'Green >= 0.7, yellow >= 0.3, red < 0.3, blank (gray) = no data.',

  // One FoM cell of a day: the FoM formula `daysBack` days ago, aliased and coloured.
  cell(decl, name, source, daysBack, alias)::
    fom.read(decl, name, checkSource('health.cell', source), daysBack).formula
    + w.formula.withAlias(alias)
    + w.formula.withFomFormats(),

  // One row of the rollup: a query_table with one query and one column per day (today, -1d ... -6d).
  row(decl, source, filter='*')::
    local name = 'fom';
    w.table.new($.rowTitle(decl, source), [fom.read(decl, name, checkSource('health.row', source), 0, filter).query])
    + w.table.withFormulas([$.cell(decl, name, source, d, dayLabel(d)) for d in $.days])
    + w.table.withAggregator(aggregator)
    + w.table.withHasSearchBar('never')
    + w.table.withDescription($.rowDescription(decl, source))
    + w.table.withTime(window),

  rows(area, filter='*'):: [$.row(decl, area.source, filter) for decl in area.decls],

  // The headline score of an area: the mean of its FoMs today.
  headline(title, decls, source, filter='*')::
    fom.average(title, decls, checkSource('health.headline', source), 0, filter)
    + w.queryValue.withAggregator(aggregator)
    + w.queryValue.withDescription(
      'The mean of ' + util.int(std.length(decls)) + ' FoMs today, '
      + (if source == 'published' then 'from their published health.*.fom metrics' else 'computed from their raw metrics')
      + '. Green >= 0.7, yellow >= 0.3, red < 0.3.'
    )
    + w.queryValue.withTime(window),

  headlines(filter='*')::
    [
      $.headline(std.toString($.areas[key].title) + ' Health', $.areas[key].decls, $.areas[key].source, filter)
      for key in $.areaOrder
    ],

  // The FoM scale, in words and colours.
  legendText::
    |||
      **FoM scale** (every cell: 0.0 critical to 1.0 healthy)
      - 🟩 **Green 0.7-1.0**: healthy
      - 🟨 **Yellow 0.3-0.7**: warning
      - 🟥 **Red 0.0-0.3**: critical
      - ⬜ **Gray** (or a blank cell): no data
    |||,
  legend()::
    w.note.new($.legendText)
    + w.note.withBackgroundColor('white')
    + w.note.withFontSize(14),

  // A footer note with links to other dashboards: quickLinks([['GitHub CI/CD', 'github_cicd'], ...]).
  quickLinks(pairs)::
    w.note.new('**Quick links**\n' + links.markdownList(pairs))
    + w.note.withBackgroundColor('gray')
    + w.note.withFontSize(14),

  // The wildcard heatmap: one query per FoM and one formula per FoM and day, aliased 'Title|day'. A request's
  // formulas become the fields of its data table (the first request is 'table1'); the spec folds them back into
  // one row per cell. timeshift is a formula function, so 7 days need no extra queries.
  heatmapAlias(decl, daysBack)::
    // std.split is a builtin; std.findSubstr slices the title once per position in Jsonnet.
    if std.length(std.split(decl.title, separator)) > 1 then
      error "health.heatmapAlias: FoM title %s must not hold '%s' (it splits title from day)" % [decl.title, separator]
    else decl.title + separator + dayLabel(daysBack),

  heatmapData(areas, filter='*')::
    // [decl, source, query name] per FoM: array elements are evaluated once, so the name is worked out once
    // per FoM rather than once per day.
    local entries = [[decl, area.source, $.queryName(decl)] for area in areas for decl in area.decls];
    {
      queries: [fom.read(e[0], e[2], e[1], 0, filter).query for e in entries],
      formulas: [
        fom.read(e[0], e[2], e[1], d).formula + w.formula.withAlias($.heatmapAlias(e[0], d))
        for e in entries
        for d in $.days
      ],
    },

  // The Vega-Lite heatmap over `table1`: x = day, y = FoM (in rollup order), colour by the FoM thresholds.
  // Vega-Lite drops rows whose colour field is null, so a cell without data gets fom = -1 (drawn gray) and
  // the label 'no data'.
  heatmapSpec(decls)::
    local fields = [$.heatmapAlias(decl, d) for decl in decls for d in $.days];
    local noData = 'datum.fom < 0';
    local warn = util.num(thresholds.fom.warn), good = util.num(thresholds.fom.good);
    {
      '$schema': 'https://vega.github.io/schema/vega-lite/v5.json',
      description: 'FoM per metric and day; green >= 0.7, yellow >= 0.3, red < 0.3, gray = no data.',
      data: { name: 'table1' },
      transform: [
        { fold: fields, as: ['key', 'value'] },
        { calculate: "split(datum.key, '" + separator + "')[0]", as: 'metric' },
        { calculate: "split(datum.key, '" + separator + "')[1]", as: 'day' },
        { calculate: 'isValid(datum.value) ? datum.value : -1', as: 'fom' },
        { calculate: "isValid(datum.value) ? format(datum.value, '.2f') : 'no data'", as: 'label' },
      ],
      encoding: {
        x: { field: 'day', type: 'ordinal', sort: $.dayLabels, title: null, axis: { orient: 'top', labelAngle: 0 } },
        y: { field: 'metric', type: 'ordinal', sort: [decl.title for decl in decls], title: null },
        tooltip: [
          { field: 'metric', type: 'nominal', title: 'FoM' },
          { field: 'day', type: 'ordinal', title: 'Day' },
          { field: 'label', type: 'nominal', title: 'Value' },
        ],
      },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
          encoding: {
            color: {
              condition: { test: noData, value: palettes.colors.gray },
              field: 'fom',
              type: 'quantitative',
              scale: {
                type: 'threshold',
                domain: [thresholds.fom.warn, thresholds.fom.good],
                range: [palettes.colors.red, palettes.colors.yellow, palettes.colors.green],
              },
              legend: null,
            },
          },
        },
        {
          mark: { type: 'text' },
          encoding: {
            text: {
              condition: { test: noData, value: 'no data' },
              field: 'fom',
              type: 'quantitative',
              format: '.2f',
            },
            // Dark text on yellow, white elsewhere.
            color: {
              condition: { test: 'datum.fom >= ' + warn + ' && datum.fom < ' + good, value: 'black' },
              value: 'white',
            },
          },
        },
      ],
    },

  // The whole rollup (the given areas) as one wildcard widget on the fixed one-week window.
  heatmap(title, areas, filter='*')::
    local data = $.heatmapData(areas, filter);
    w.wildcard.new(title, data.queries, $.heatmapSpec([decl for area in areas for decl in area.decls]))
    + w.wildcard.withFormulas(data.formulas)
    + w.wildcard.withAggregator(aggregator)
    + w.wildcard.withTime(window),
}
