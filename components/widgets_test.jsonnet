// Builders emit exactly the Datadog shapes expected of them.
local palettes = import 'palettes.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local w = import 'widgets.libsonnet';

local metric = w.query.metric('open', 'avg:github.prs.open{$env}');

{
  noteIsContentOnly: std.assertEqual(
    w.note.new('## Hello') + w.note.withBackgroundColor('gray') + w.note.withTextAlign('center'),
    { definition: { type: 'note', content: '## Hello', background_color: 'gray', text_align: 'center' } },
  ),

  queryValueIsScalarWithAggregator: std.assertEqual(
    w.queryValue.new('Open PRs', [metric]) + w.queryValue.withAggregator('last') + w.queryValue.withPrecision(0),
    {
      definition: {
        type: 'query_value',
        title: 'Open PRs',
        precision: 0,
        requests: [{
          response_format: 'scalar',
          queries: [{ data_source: 'metrics', name: 'open', query: 'avg:github.prs.open{$env}', aggregator: 'last' }],
          formulas: [{ formula: 'open' }],
        }],
      },
    },
  ),

  queryAggregatorWinsOverWidgetDefault: std.assertEqual(
    (w.queryValue.new('x', [metric + w.query.withAggregator('max')]) + w.queryValue.withAggregator('last'))
    .definition.requests[0].queries[0].aggregator,
    'max',
  ),

  scalarDefaultAggregatorIsAvg: std.assertEqual(
    w.toplist.new('x', [metric]).definition.requests[0].queries[0].aggregator, 'avg',
  ),

  fomFormatsAreTheTrafficLight: std.assertEqual(
    (w.queryValue.new('x', [metric]) + w.queryValue.withFomFormats()).definition.requests[0].conditional_formats,
    [
      { comparator: '>=', value: 0.7, palette: 'white_on_green' },
      { comparator: '>=', value: 0.3, palette: 'white_on_yellow' },
      { comparator: '<', value: 0.3, palette: 'white_on_red' },
    ],
  ),

  timeseriesRequest: std.assertEqual(
    w.timeseries.new('Cycle time', [metric])
    + w.timeseries.withFormulas([w.formula.new('open') + w.formula.withAlias('open PRs') + w.formula.withUnit('hour')])
    + w.timeseries.withDisplayType('bars')
    + w.timeseries.withPalette(palettes.series.warm)
    + w.timeseries.withMarker(48, 'target')
    + w.timeseries.withYAxisMin(0),
    {
      definition: {
        type: 'timeseries',
        title: 'Cycle time',
        markers: [{ value: 'y = 48', label: 'target', display_type: 'warning dashed' }],
        yaxis: { min: '0' },
        requests: [{
          response_format: 'timeseries',
          display_type: 'bars',
          style: { palette: 'warm' },
          queries: [{ data_source: 'metrics', name: 'open', query: 'avg:github.prs.open{$env}' }],
          formulas: [{
            formula: 'open',
            alias: 'open PRs',
            number_format: { unit: { type: 'canonical_unit', unit_name: 'hour' } },
          }],
        }],
      },
    },
  ),

  timeseriesQueriesHaveNoAggregator: std.assertEqual(
    std.objectHas(w.timeseries.new('x', [metric]).definition.requests[0].queries[0], 'aggregator'), false,
  ),

  markersAppend: std.assertEqual(
    std.length((w.timeseries.new('x', [metric]) + w.timeseries.withFomMarkers() + w.timeseries.withMarker(1, 'one'))
               .definition.markers),
    3,
  ),

  formulasAcceptStrings: std.assertEqual(
    (w.timeseries.new('x', [metric]) + w.timeseries.withFormulas(['open * 2'])).definition.requests[0].formulas,
    [{ formula: 'open * 2' }],
  ),

  formulaLimitAndUnitLabel: std.assertEqual(
    w.formula.new('q') + w.formula.withLimit(10) + w.formula.withUnitLabel('PRs'),
    { formula: 'q', limit: { count: 10, order: 'desc' }, number_format: { unit: { type: 'custom_unit_label', label: 'PRs' } } },
  ),

  tableIsQueryTable: std.assertEqual(w.table.new('t', [metric]).definition.type, 'query_table'),

  heatmapIsTimeseriesFormat: std.assertEqual(w.heatmap.new('h', [metric]).definition.requests[0].response_format, 'timeseries'),

  changeComparesFirstQuery: std.assertEqual(
    (w.change.new('c', [metric]) + w.change.withCompareTo('week_before')).definition.requests[0],
    {
      response_format: 'scalar',
      queries: [{ data_source: 'metrics', name: 'open', query: 'avg:github.prs.open{$env}', aggregator: 'avg' }],
      formulas: [{ formula: 'week_before(open)' }, { formula: 'open' }],
      compare_to: 'week_before',
      change_type: 'absolute',
      order_by: 'change',
      order_dir: 'desc',
      increase_good: true,
      show_present: true,
    },
  ),

  wildcardWrapsVegaLite: std.assertEqual(
    w.wildcard.new('v', [metric], { mark: 'bar' }).definition.specification,
    { type: 'vega-lite', contents: { mark: 'bar' } },
  ),

  // Common setters exist only where the type supports them: the spec gives a wildcard widget no description.
  describedOnlyWhereSupported: std.assertEqual(
    [std.objectHasAll(w[type], 'withDescription') for type in ['timeseries', 'toplist', 'wildcard']],
    [true, true, false],
  ),

  groupIsOrdered: std.assertEqual(
    w.group.new('G', []) + w.group.withBackgroundColor('vivid_blue'),
    { definition: { type: 'group', layout_type: 'ordered', title: 'G', widgets: [], background_color: 'vivid_blue' } },
  ),

  listStreamIsEventList: std.assertEqual(
    (w.listStream.new('Errors', 'logs_stream', 'status:error') + w.listStream.withColumns(['timestamp', 'content']))
    .definition.requests,
    [{
      response_format: 'event_list',
      query: { data_source: 'logs_stream', query_string: 'status:error' },
      columns: [{ field: 'timestamp', width: 'auto' }, { field: 'content', width: 'auto' }],
    }],
  ),

  logStreamErrorFeed: std.assertEqual(
    w.logStream.errors('Errors', 'service:collector').definition.query,
    'status:(error OR critical) service:collector',
  ),

  logStreamColumnsAreStrings: std.assertEqual(
    (w.logStream.new('l', '*') + w.logStream.withColumns(['host'])).definition.columns, ['host'],
  ),

  sloDefaults: std.assertEqual(
    w.slo.new('SLO', 'abc').definition,
    { type: 'slo', view_type: 'detail', title: 'SLO', slo_id: 'abc', time_windows: ['7d'] },
  ),

  timeIsLiveSpan: std.assertEqual((w.queryValue.new('x', [metric]) + w.queryValue.withTime('1w')).definition.time, { live_span: '1w' }),

  simpleWidgets: std.assertEqual(
    [w.image.new('u').definition, w.freeText.new('t').definition, w.iframe.new('u').definition,
     w.checkStatus.new('c', 'agent.up', 'check').definition, w.eventStream.new('e', 'q').definition],
    [
      { type: 'image', url: 'u' },
      { type: 'free_text', text: 't' },
      { type: 'iframe', url: 'u' },
      { type: 'check_status', title: 'c', check: 'agent.up', grouping: 'check' },
      { type: 'event_stream', title: 'e', query: 'q' },
    ],
  ),

  thresholdsMarkersAndBands: std.assertEqual(
    [thresholds.marker(0.7, 'healthy', 'ok', 'solid'), thresholds.band(0, 0.3, 'critical', 'error')],
    [
      { value: 'y = 0.7', label: 'healthy', display_type: 'ok solid' },
      { value: '0 < y < 0.3', label: 'critical', display_type: 'error dashed' },
    ],
  ),

  timeshiftHelper: std.assertEqual(
    [w.query.timeshift('q', 0), w.query.timeshift('q', 1), w.query.timeshift('q', 6)],
    ['q', 'timeshift(q, -86400)', 'timeshift(q, -518400)'],
  ),

  queryExpr: std.assertEqual(
    w.query.by(w.query.expr('sum', 'github.commits.total_7d', '$env'), ['author']),
    'sum:github.commits.total_7d{$env} by {author}',
  ),

  extraRequestKeepsItsOwnDisplay: std.assertEqual(
    [[r.display_type, r.formulas] for r in (
      w.timeseries.new('x', [metric]) + w.timeseries.withDisplayType('bars')
      + w.timeseries.withExtraRequest([w.query.metric('rate', 'avg:x{*}')], ['rate * 100'])
    ).definition.requests],
    [['bars', [{ formula: 'open' }]], ['line', [{ formula: 'rate * 100' }]]],
  ),
}
