// System Health Rollup presets, layered on fom.libsonnet: the FoM of every area for the last 7 days (today and
// 1..6 days back), coloured with the FoM traffic light.
//   - row(decl, source): one FoM as a query_table with one row and a column per day,
//   - headline(title, decls, source): the mean FoM of an area (today),
//   - legend() and quickLinks(pairs): the notes around the rollup,
//   - heatmap(title, areas): the whole rollup as one Vega-Lite wildcard widget.
// `source` is 'published' (the health.*.fom metric a FoM collector writes) or 'inline' (the FoM computed in the
// formula from the raw metric, for areas whose collector does not publish FoMs yet).
//
// Every cell is its own day: widgets are pinned to the FoM's one-day window (the last 24 h) and the column of
// N days back reads the query through timeshift(-N days), so each column sees only the data of its own day and
// a collector silent for two days leaves those two columns blank (gray). The cell is the latest value of that
// day (fom.libsonnet says why), the same reading as the FoM tiles on the detail dashboards.
local fom = import 'fom.libsonnet';
local foms = import 'foms.libsonnet';
local links = import 'links.libsonnet';
local palettes = import 'palettes.libsonnet';
local runbooks = import 'runbooks.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local util = import 'util.libsonnet';
local w = import 'widgets.libsonnet';

local dayCount = 7;
local dayLabels = ['today'] + ['-%dd' % daysBack for daysBack in std.range(1, dayCount - 1)];
// Separates the area, the FoM title and the day in the wildcard's formula aliases ('CI/CD|Tests Passing|-2d').
local separator = '|';

local checkSource(where, source) = util.oneOf(where, 'source', source, ['published', 'inline']);

{
  days:: std.range(0, dayCount - 1),
  dayLabels:: dayLabels,

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

  // A row is titled by its FoM alone (it must fit a third of the grid); where the FoM comes from is said in
  // the row's description and its section's title (sectionTitle).
  rowTitle(decl, source)::
    assert checkSource('health.rowTitle', source) == source;
    decl.title,

  sourceWords(source)::
    if checkSource('health.sourceWords', source) == 'published' then 'published' else 'computed from raw metrics',

  sectionTitle(area):: '%s (%d FoMs, %s)' % [area.title, std.length(area.decls), $.sourceWords(area.source)],

  rowDescription(decl, source)::
    (if source == 'published' then 'Reads %s, written by the FoM collector from %s.' % [decl.metric, decl.raw]
     else 'No collector publishes %s yet: the FoM is computed in the formula from %s (FoM collector pending).'
          % [decl.metric, decl.raw])
    + ' One column per day: the latest FoM of that day (the last 24 h, then 1 to 6 days back). '
    + 'Green >= 0.7, yellow >= 0.3, red < 0.3, blank (gray) = nothing reported that day.',

  // One FoM cell of a day: the FoM formula `daysBack` days ago, aliased and coloured.
  cell(decl, name, source, daysBack, alias)::
    fom.read(decl, name, checkSource('health.cell', source), daysBack).formula
    + w.formula.withAlias(alias)
    + w.formula.withFomFormats(),

  // One row of the rollup: a query_table with the FoM's queries and one column per day (today, -1d ... -6d),
  // pinned to one day, linked to the FoM's detail dashboard and runbook.
  row(decl, source, filter='*')::
    assert checkSource('health.row', source) == source;
    local name = 'fom';
    w.table.new($.rowTitle(decl, source), fom.read(decl, name, source, 0, filter).queries)
    + w.table.withFormulas([$.cell(decl, name, source, d, dayLabels[d]) for d in $.days])
    + w.table.withAggregator(decl.aggregator)
    + w.table.withHasSearchBar('never')
    + w.table.withDescription($.rowDescription(decl, source))
    + w.table.withTime(decl.window)
    + w.table.withCustomLinks(fom.links(decl)),

  rows(area, filter='*'):: [$.row(decl, area.source, filter) for decl in area.decls],

  // The headline score of an area: the mean of its FoMs today.
  headline(title, decls, source, filter='*')::
    fom.average(title, decls, checkSource('health.headline', source), 0, filter)
    + w.queryValue.withDescription(
      'The mean of %d FoMs today (their latest values of the last 24 h), %s. Green >= 0.7, yellow >= 0.3, red < 0.3.' % [
        std.length(decls),
        if source == 'published' then 'from their published health.*.fom metrics' else 'computed from their raw metrics',
      ]
    )
    + w.queryValue.withCustomLinks(fom.links(decls[0])),

  headlines(filter='*')::
    [
      local area = $.areas[key];
      $.headline('%s Health' % area.title, area.decls, area.source, filter)
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

  // Every dashboard the rollup summarises, [text, file name] in reading order: the FoM areas' detail
  // dashboards, the collectors behind them, and the other domains.
  dashboards:: [
    ['GitHub CI/CD', 'github_cicd'],
    ['Training & WandB', 'training'],
    ['Eval & Testing', 'eval'],
    ['Skypilot Jobs', 'skypilot_jobs'],
    ['Collector Health', 'collector_health'],
    ['Asana', 'asana'],
    ['EC2 Infrastructure', 'ec2'],
  ],

  // A footer note with links to other dashboards, [[text, file name], ...] (default: `dashboards`), and the
  // runbook of the FoMs.
  quickLinks(pairs=self.dashboards)::
    w.note.new('**Quick links**\n%s\n- Runbook: [how FoMs are computed](%s)' % [links.markdownList(pairs), runbooks.foms])
    + w.note.withBackgroundColor('gray')
    + w.note.withFontSize(14),

  // The wildcard heatmap: the queries of every FoM and one formula per FoM and day, aliased
  // 'Area|Title|day'. A request's formulas become the fields of its data table (the first request is 'table1');
  // the spec folds them back into one row per cell. timeshift is a formula function, so 7 days need no extra
  // queries.
  heatmapAlias(area, decl, daysBack)::
    // std.split, not std.member: the reference engine runs std.member on a string in Jsonnet (1.3 s a compile of the heatmap).
    if std.length(std.split(decl.title, separator)) > 1 || std.length(std.split(area.title, separator)) > 1 then
      error "health.heatmapAlias: FoM title %s and area title %s must not hold '%s' (it splits the alias)" % [
        decl.title, area.title, separator,
      ]
    else std.join(separator, [area.title, decl.title, dayLabels[daysBack]]),

  // The heatmap's row label of a FoM: its area, then its title ('CI/CD · Tests Passing').
  heatmapRow(area, decl):: area.title + ' · ' + decl.title,

  heatmapData(areas, filter='*')::
    {
      queries: std.flattenArrays([
        fom.read(decl, $.queryName(decl), area.source, 0, filter).queries
        for area in areas
        for decl in area.decls
      ]),
      formulas: [
        fom.read(decl, $.queryName(decl), area.source, d).formula + w.formula.withAlias($.heatmapAlias(area, decl, d))
        for area in areas
        for decl in area.decls
        for d in $.days
      ],
    },

  // The Vega-Lite heatmap over `table1`: x = day, y = FoM grouped by area (in rollup order, each label
  // 'Area · FoM', a thicker white line between areas), colour by the FoM thresholds. It fills its widget:
  // width and height 'container' with autosize 'fit' (without them Vega-Lite draws fixed 20 px cells and the
  // labels overlap). Vega-Lite drops rows whose colour field is null, so a cell without data gets fom = -1
  // (drawn gray) and the label 'no data'.
  heatmapSpec(areas)::
    local fields = [$.heatmapAlias(area, decl, d) for area in areas for decl in area.decls for d in $.days];
    local rows = [$.heatmapRow(area, decl) for area in areas for decl in area.decls];
    // The first row of every area but the first: a line is drawn above it.
    local areaStarts = [$.heatmapRow(area, area.decls[0]) for area in areas[1:]];
    local noData = 'datum.fom < 0';
    local warn = util.num(thresholds.fom.warn), good = util.num(thresholds.fom.good);
    local part(i) = "split(datum.key, '%s')[%d]" % [separator, i];
    {
      '$schema': 'https://vega.github.io/schema/vega-lite/v5.json',
      description: 'FoM per metric and day, grouped by area; green >= 0.7, yellow >= 0.3, red < 0.3, gray = no data.',
      width: 'container',
      height: 'container',
      autosize: { type: 'fit', contains: 'padding' },
      data: { name: 'table1' },
      transform: [
        { fold: fields, as: ['key', 'value'] },
        { calculate: part(0), as: 'area' },
        { calculate: part(1), as: 'metric' },
        { calculate: part(2), as: 'day' },
        { calculate: "datum.area + ' · ' + datum.metric", as: 'row' },
        { calculate: 'isValid(datum.value) ? datum.value : -1', as: 'fom' },
        { calculate: "isValid(datum.value) ? format(datum.value, '.2f') : 'no data'", as: 'label' },
      ],
      encoding: {
        x: { field: 'day', type: 'ordinal', sort: $.dayLabels, title: null, axis: { orient: 'top', labelAngle: 0 } },
        y: { field: 'row', type: 'ordinal', sort: rows, title: null, axis: { labelLimit: 260 } },
        tooltip: [
          { field: 'area', type: 'nominal', title: 'Area' },
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
              condition: { test: 'datum.fom >= %s && datum.fom < %s' % [warn, good], value: 'black' },
              value: 'white',
            },
          },
        },
        {
          // The area separators: a thick white line along the top edge of each area's first row.
          transform: [{ filter: { field: 'row', oneOf: areaStarts } }, { filter: "datum.day == 'today'" }],
          mark: { type: 'rule', color: 'white', strokeWidth: 6 },
          encoding: {
            y: { field: 'row', type: 'ordinal', sort: rows, bandPosition: 0 },
            x: { value: 0 },
            x2: { value: 'width' },
          },
        },
      ],
    },

  // The whole rollup (the given areas) as one wildcard widget, pinned to the FoMs' one-day window, linked to
  // every area's detail dashboard.
  heatmap(title, areas, filter='*')::
    local data = $.heatmapData(areas, filter);
    local first = areas[0].decls[0];
    w.wildcard.new(title, data.queries, $.heatmapSpec(areas))
    + w.wildcard.withFormulas(data.formulas)
    + w.wildcard.withAggregator(first.aggregator)
    + w.wildcard.withTime(first.window)
    + w.wildcard.withCustomLinks(std.flattenArrays([fom.links(area.decls[0])[0:1] for area in areas])
                                 + fom.links(first)[1:]),
}
