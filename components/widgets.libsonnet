// Typed widget builders, grafonnet manner: `new(...)` takes what Datadog requires, `withX(value)` setters
// merge with `+`, `withXMixin` appends to lists. Builders emit only shapes the Datadog API accepts:
// notes never carry a title, formula requests always carry the right `response_format`, scalar queries
// always carry an aggregator. Widgets get their `layout` from layout.libsonnet, never by hand.
//
//   local w = import 'widgets.libsonnet';
//   w.timeseries.new('PR cycle time', [w.query.metric('cycle', q)])
//   + w.timeseries.withMarker(48, 'target')
//
// A friendlier layer on the generated core (gen/, one builder per object of Datadog's spec): its builders and
// setters set the fields, checking types and allowed values and naming them in their messages. This file adds
// defaults (response formats, aggregators, one formula per query), the request assembly (with each type's
// request builder), palettes, thresholds and presets, and checks stricter than the spec (non-empty titles,
// palette names).
// Its builders come from gen/core.libsonnet, one file (the C++ engine parses its standard library again for
// every file a compile imports); more_widgets.libsonnet holds the widget types dashboards use less often.
local core = import 'gen/core.libsonnet';
local palettes = import 'palettes.libsonnet';
local q = import 'query.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local util = import 'util.libsonnet';

local checkQueries(where, queries) = [
  if std.isObject(item) && std.objectHas(item, 'name') && std.objectHas(item, 'data_source') then item
  else error '%s: each query must be built with query.metric(name, q), got %s' % [where, std.manifestJsonMinified(item)]
  for item in util.nonEmptyList(where, 'queries', util.asList(queries))
];

local checkFormulas(where, formulas) = [
  if std.isString(item) then q.formula.new(item)
  else if std.isObject(item) && std.objectHas(item, 'formula') then item
  else error '%s: each formula must be a string or formula.new(...), got %s' % [where, std.manifestJsonMinified(item)]
  for item in util.nonEmptyList(where, 'formulas', util.asList(formulas))
];

// Setters shared by widget types; each type mixes in only those its definition supports. `builder` is the
// type's generated builder.
local titled(builder) = {
  withTitleAlign(align):: builder.withTitleAlign(align),
};
local described(builder, type) = {
  withDescription(text):: builder.withDescription(util.string(type + '.withDescription', 'text', text)),
};
// A widget-level time span pins the widget and ignores the dashboard's time selector: use it sparingly.
local timed(builder) = {
  withTime(liveSpan):: builder.withTime(core.objects.widgetLegacyLiveSpan.withLiveSpan(liveSpan)),
};
local linked(builder) = {
  withCustomLinks(links):: builder.withCustomLinks(links),
  withCustomLinksMixin(links):: builder.withCustomLinksMixin(links),
};

// The generated request builder of each widget type (Datadog's name): the core's, holding only the fields set
// here, for the types most dashboards use; the others' own files, read only by a compile that uses them. A
// wildcard request is one of several request kinds in the spec; its formulas-and-functions kind is the timeseries
// request.
local requestBuilders = {
  query_value: core.objects.queryValueWidgetRequest,
  timeseries: core.objects.timeseriesWidgetRequest,
  wildcard: core.objects.timeseriesWidgetRequest,
  query_table: core.objects.tableWidgetRequest,
  toplist: import 'gen/toplist_widget_request.libsonnet',
  heatmap: import 'gen/heat_map_widget_request.libsonnet',
  distribution: import 'gen/distribution_widget_request.libsonnet',
  change: import 'gen/change_widget_request.libsonnet',
};

// One formula per query, showing it as is: the formulas a request has unless set.
local defaultFormulas(queries) = [q.formula.new(query.name) for query in queries];

local buildRequest(request, responseFormat, queries, formulas) =
  request.withResponseFormat(responseFormat) + request.withQueries(queries) + request.withFormulas(formulas);

// A widget whose single request is a formulas-and-functions request, of `type` (Datadog's name), built with the
// type's generated request builder. Queries, formulas and request settings live in hidden fields, so setters can
// replace them before the request is built from them (when the widget is output).
local assemble(type, where, responseFormat, title, queries) =
  local scalar = responseFormat == 'scalar';
  local request = requestBuilders[type];
  {
    local widget = self,
    queries_:: checkQueries(where, queries),
    formulas_:: defaultFormulas(widget.queries_),
    aggregator_:: { aggregator: 'avg' },
    request_:: {},
    extraRequests_:: [],
    definition: {
      type: type,
      title: util.string(where, 'title', title),
      requests: [
        buildRequest(request, responseFormat, [
          if scalar && !std.objectHas(query, 'aggregator') then query + widget.aggregator_ else query
          for query in widget.queries_
        ], widget.formulas_) + widget.request_,
      ] + widget.extraRequests_,
    },
  };

// The builder of such a widget type; `builder` is its generated builder.
local formulaRequests(builder, type, responseFormat, datadogType) =
  local where = type + '.new';
  {
    new(title=util.missing(where, 'title'), queries=util.missing(where, 'queries', 'a list of query.metric(...)'))::
      assemble(datadogType, where, responseFormat, title, queries),
    withQueries(queries):: { queries_:: checkQueries(type + '.withQueries', queries) },
    withQueriesMixin(queries):: { queries_+:: checkQueries(type + '.withQueriesMixin', queries) },
    // Formulas replace the default (one formula per query, showing it as is).
    withFormulas(formulas):: { formulas_:: checkFormulas(type + '.withFormulas', formulas) },
    withFormulasMixin(formulas):: { formulas_+:: checkFormulas(type + '.withFormulasMixin', formulas) },
  } + titled(builder) + timed(builder) + linked(builder)
  // The wildcard widget has no description in the spec.
  + (if std.objectHas(builder, 'withDescription') then described(builder, type) else {});

local scalarSetters = {
  // Time aggregation for queries that set none (default 'avg'); query.withAggregator overrides per query.
  withAggregator(aggregator):: { aggregator_:: q.query.withAggregator(aggregator) },
};

// The request's own settings, through the request builder of the widget type (Datadog's name).
local conditionalSetters(type) = {
  withConditionalFormats(formats):: { request_+:: requestBuilders[type].withConditionalFormats(util.asList(formats)) },
  withConditionalFormatsMixin(formats):: {
    request_+:: requestBuilders[type].withConditionalFormatsMixin(util.asList(formats)),
  },
  // FoM colours: green >= 0.7, yellow >= 0.3, red below.
  withFomFormats():: self.withConditionalFormats(thresholds.fom.formats),
};

// withYAxisMin(0), ...: `axis` is the builder's setter group of the axis (yaxis), `name` its name in setters.
local axisSetters(type, axis, name) = {
  ['with' + name + 'Min'](value):: axis.withMin(util.num(util.number(type, 'min', value))),
  ['with' + name + 'Max'](value):: axis.withMax(util.num(util.number(type, 'max', value))),
  ['with' + name + 'Label'](label):: axis.withLabel(util.string(type, 'label', label)),
  ['with' + name + 'Scale'](scale):: axis.withScale(scale),
  ['with' + name + 'IncludeZero'](include):: axis.withIncludeZero(include),
};

local requestPalette(type) = {
  // Series palette of the request (style.palette), e.g. palettes.series.warm.
  withPalette(palette):: {
    request_+:: requestBuilders[type].style.withPalette(palettes.seriesPalette(type + '.withPalette', palette)),
  },
};

local markerSetters(builder) = {
  withMarkers(markers):: builder.withMarkers(markers),
  withMarkersMixin(markers):: builder.withMarkersMixin(markers),
  // One horizontal line: withMarker(48, 'target'); severity error|warning|ok|info, line dashed|solid|bold.
  withMarker(value, label, severity='warning', line='dashed')::
    self.withMarkersMixin([thresholds.marker(value, label, severity, line)]),
  // Lines at the FoM boundaries 0.7 and 0.3.
  withFomMarkers():: self.withMarkersMixin(thresholds.fom.markers),
};

local legendSetters(builder) = {
  withShowLegend(show):: builder.withShowLegend(show),
};

// The widget types dashboards use less often, built from the setters above: more_widgets.libsonnet is a
// function of them, so it needs no import of this file (and the import graph has no cycle).
local more = (import 'more_widgets.libsonnet')({
  formulaRequests: formulaRequests,
  scalarSetters: scalarSetters,
  conditionalSetters: conditionalSetters,
  axisSetters: axisSetters,
  requestPalette: requestPalette,
  legendSetters: legendSetters,
  titled: titled,
  described: described,
  timed: timed,
});

{
  query:: q.query,
  formula:: q.formula,

  note::
    local note = core.widgets.note;
    {
      // A note is markdown. It has no title (the API rejects one): put a heading in the content.
      new(content=util.missing('note.new', 'content', 'markdown text'))::
        note.new(util.string('note.new', 'content', content)),
      withBackgroundColor(color):: note.withBackgroundColor(palettes.background('note.withBackgroundColor', color)),
      withFontSize(size):: note.withFontSize(std.toString(util.integer('note.withFontSize', 'size', size, 1))),
      withTextAlign(align):: note.withTextAlign(align),
      withVerticalAlign(align):: note.withVerticalAlign(align),
      withHasPadding(padding):: note.withHasPadding(padding),
      withShowTick(show):: note.withShowTick(show),
      withTickEdge(edge):: note.withTickEdge(edge),
    },

  queryValue::
    local widget = core.widgets.queryValue;
    formulaRequests(widget, 'queryValue', 'scalar', 'query_value') + scalarSetters + conditionalSetters('query_value') + {
      withPrecision(digits):: widget.withPrecision(util.integer('queryValue.withPrecision', 'digits', digits)),
      withAutoscale(autoscale):: widget.withAutoscale(autoscale),
      withTextAlign(align):: widget.withTextAlign(align),
      // A sparkline behind the number: area | bars.
      withTimeseriesBackground(type):: widget.timeseriesBackground.withType(type),
    },

  timeseries::
    local widget = core.widgets.timeseries;
    local request = requestBuilders.timeseries;
    local displayTypes = ['line', 'area', 'bars'];
    formulaRequests(widget, 'timeseries', 'timeseries', 'timeseries') + requestPalette('timeseries')
    + markerSetters(widget) + legendSetters(widget) + axisSetters('timeseries', widget.yaxis, 'YAxis') + {
      // line | area | bars
      // (Datadog's 'overlay' only draws over other requests: not offered for the widget's own.)
      withDisplayType(displayType):: {
        request_+:: request.withDisplayType(util.oneOf('timeseries.withDisplayType', 'display type', displayType, displayTypes)),
      },
      // solid | dashed | dotted; normal | thin | thick
      withLineType(lineType):: { request_+:: request.style.withLineType(lineType) },
      withLineWidth(width):: { request_+:: request.style.withLineWidth(width) },
      // A second series group drawn its own way, e.g. bars of counts under a line of rates.
      withExtraRequest(queries, formulas=null, displayType='line')::
        local list = checkQueries('timeseries.withExtraRequest', queries);
        {
          extraRequests_+:: [
            buildRequest(request, 'timeseries', list,
                         if formulas == null then defaultFormulas(list)
                         else checkFormulas('timeseries.withExtraRequest', formulas))
            + request.withDisplayType(util.oneOf('timeseries.withExtraRequest', 'displayType', displayType, displayTypes)),
          ],
        },
      withLegendLayout(layout):: widget.withLegendLayout(layout),
      withLegendColumns(columns):: widget.withLegendColumns(columns),
    },

  // The table widget (type query_table); conditional formats go on each formula (a column).
  table::
    local widget = core.widgets.queryTable;
    formulaRequests(widget, 'table', 'scalar', 'query_table') + scalarSetters + {
      withHasSearchBar(mode):: widget.withHasSearchBar(mode),
    },

  group::
    local group = core.widgets.group;
    titled(group) + {
      // Usually made by layout.section; `widgets` must already carry layouts (from layout.stack).
      new(title=util.missing('group.new', 'title'), widgets=util.missing('group.new', 'widgets'))::
        group.new([
          if std.objectHas(widget, 'definition') && widget.definition.type == 'group'
          then error 'group.new: groups cannot be nested; put the inner widgets in this section directly'
          else widget
          for widget in util.asList(widgets)
        ])
        + group.withTitle(util.string('group.new', 'title', title)),
      withBackgroundColor(color):: group.withBackgroundColor(palettes.background('group.withBackgroundColor', color)),
      withShowTitle(show):: group.withShowTitle(show),
    },

  // Widget types dashboards use less often: more_widgets.libsonnet, read only by a compile that uses one
  // (every compile parses every file it imports).
  toplist:: more.toplist,
  heatmap:: more.heatmap,
  distribution:: more.distribution,
  change:: more.change,
  wildcard:: more.wildcard,
  checkStatus:: more.checkStatus,
  eventStream:: more.eventStream,
  listStream:: more.listStream,
  logStream:: more.logStream,
  image:: more.image,
  freeText:: more.freeText,
  iframe:: more.iframe,
  slo:: more.slo,
}
