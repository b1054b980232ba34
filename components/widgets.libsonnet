// Typed widget builders, grafonnet manner: `new(...)` takes what Datadog requires, `withX(value)` setters
// merge with `+`, `withXMixin` appends to lists. Builders emit only shapes the Datadog API accepts:
// notes never carry a title, formula requests always carry the right `response_format`, scalar queries
// always carry an aggregator. Widgets get their `layout` from layout.libsonnet, never by hand.
//
//   local w = import 'widgets.libsonnet';
//   w.timeseries.new('PR cycle time', [w.query.metric('cycle', q)])
//   + w.timeseries.withMarker(48, 'target')
//
// Setters of plain fields come from the generated core (gen/, one builder per widget type of Datadog's spec),
// which checks types and allowed values; this file adds defaults, the formulas-and-functions request assembly
// and presets. The paths every dashboard runs (queries, formulas, notes, groups, query values and timeseries,
// their requests) are written here directly: each compile reads and parses every file it imports again
// (about 18 ms a file on the C++ engine), and delegating these too made the nine dashboards' evaluation
// about 30 % slower on rjsonnet and 40 % slower on the C++ engine (measured against the split kept here).
local gen = import 'gen/main.libsonnet';
local palettes = import 'palettes.libsonnet';
local q = import 'query.libsonnet';
local thresholds = import 'thresholds.libsonnet';
local util = import 'util.libsonnet';

local liveSpans = ['1m', '5m', '10m', '15m', '30m', '1h', '4h', '1d', '2d', '1w', '1mo', '3mo', '6mo',
                   'week_to_date', 'month_to_date', '1y', 'alert'];
local aligns = ['left', 'center', 'right'];
local g = gen.widgets;
local o = gen.objects;

// The checks use builtins (util.is, std.objectHasEx): std.isObject and std.objectHas are Jsonnet functions, and
// these run for every query and formula of every widget.
local checkQueries(where, queries) =
  local list = util.nonEmptyList(where, 'queries', util.asList(queries));
  [
    if util.is(item, 'object') && std.objectHasEx(item, 'name', false) && std.objectHasEx(item, 'data_source', false) then item
    else error '%s: each query must be built with query.metric(name, q), got %s' % [where, std.manifestJsonMinified(item)]
    for item in list
  ];

local checkFormulas(where, formulas) =
  [
    if util.is(item, 'string') then q.formula.new(item)
    else if util.is(item, 'object') && std.objectHasEx(item, 'formula', false) then item
    else error '%s: each formula must be a string or formula.new(...), got %s' % [where, std.manifestJsonMinified(item)]
    for item in util.nonEmptyList(where, 'formulas', util.asList(formulas))
  ];

// Setters shared by widget types; each type mixes in only those its definition supports.
local titled(type) = {
  withTitleAlign(align):: { definition+: { title_align: util.oneOf(type + '.withTitleAlign', 'align', align, aligns) } },
};
local described(type) = {
  withDescription(text):: { definition+: { description: util.string(type + '.withDescription', 'text', text) } },
};
// A widget-level time span pins the widget and ignores the dashboard's time selector: use it sparingly.
local timed(type) = {
  withTime(liveSpan):: { definition+: { time: { live_span: util.oneOf(type + '.withTime', 'liveSpan', liveSpan, liveSpans) } } },
};
local linked(type) = {
  withCustomLinks(links):: { definition+: { custom_links: util.asList(links) } },
  withCustomLinksMixin(links):: { definition+: { custom_links+: util.asList(links) } },
};

// Widgets whose single request is a formulas-and-functions request.
local formulaRequests(type, where, responseFormat) =
  local scalar = std.primitiveEquals(responseFormat, 'scalar');
  {
    // Queries and formulas live in hidden fields so setters can replace them before the request is built.
    // The queries are checked once, in a local: the request and the default formulas both read them.
    new(title, queries)::
      local checked = checkQueries(where, queries);
      {
        local widget = self,
        queries_:: checked,
        formulas_:: [q.formula.new(query.name) for query in widget.queries_],
        aggregator_:: 'avg',
        request_:: {},
        definition: {
          type: type,
          title: util.string(where, 'title', title),
          requests: [
            {
              response_format: responseFormat,
              queries: [
                if scalar && !std.objectHasEx(query, 'aggregator', false)
                then query + { aggregator: widget.aggregator_ } else query
                for query in widget.queries_
              ],
              formulas: widget.formulas_,
            } + widget.request_,
          ] + widget.extraRequests_,
        },
        extraRequests_:: [],
      },
    withQueries(queries):: { queries_:: checkQueries(type + '.withQueries', queries) },
    withQueriesMixin(queries):: { queries_+:: checkQueries(type + '.withQueriesMixin', queries) },
    // Formulas replace the default (one formula per query, showing it as is).
    withFormulas(formulas):: { formulas_:: checkFormulas(type + '.withFormulas', formulas) },
    withFormulasMixin(formulas):: { formulas_+:: checkFormulas(type + '.withFormulasMixin', formulas) },
  } + titled(type) + described(type) + timed(type) + linked(type);

local scalarSetters(type) = {
  // Time aggregation for queries that set none (default 'avg'); query.withAggregator overrides per query.
  withAggregator(aggregator):: {
    aggregator_:: util.oneOf(type + '.withAggregator', 'aggregator', aggregator,
                             ['avg', 'min', 'max', 'sum', 'last', 'area', 'l2norm', 'percentile']),
  },
};

local conditionalSetters(type) = {
  withConditionalFormats(formats):: { request_+:: { conditional_formats: util.asList(formats) } },
  withConditionalFormatsMixin(formats):: { request_+:: { conditional_formats+: util.asList(formats) } },
  // FoM colours: green >= 0.7, yellow >= 0.3, red below.
  withFomFormats():: self.withConditionalFormats(thresholds.fom.formats),
};

local axisSetters(type, field) = {
  ['with' + field.name + 'Min'](value):: { definition+: { [field.key]+: { min: util.num(util.number(type, 'min', value)) } } },
  ['with' + field.name + 'Max'](value):: { definition+: { [field.key]+: { max: util.num(util.number(type, 'max', value)) } } },
  ['with' + field.name + 'Label'](label):: { definition+: { [field.key]+: { label: util.string(type, 'label', label) } } },
  ['with' + field.name + 'Scale'](scale):: {
    definition+: { [field.key]+: { scale: util.oneOf(type, 'scale', scale, ['linear', 'log', 'pow', 'sqrt']) } },
  },
  ['with' + field.name + 'IncludeZero'](include):: {
    definition+: { [field.key]+: { include_zero: util.boolean(type, 'include_zero', include) } },
  },
};

local requestPalette(type) = {
  // Series palette of the request (style.palette), e.g. palettes.series.warm.
  withPalette(palette):: { request_+:: { style+: { palette: palettes.seriesPalette(type + '.withPalette', palette) } } },
};

local markerSetters(type) = {
  withMarkers(markers):: { definition+: { markers: util.asList(markers) } },
  withMarkersMixin(markers):: { definition+: { markers+: util.asList(markers) } },
  // One horizontal line: withMarker(48, 'target'); severity error|warning|ok|info, line dashed|solid|bold.
  withMarker(value, label, severity='warning', line='dashed')::
    self.withMarkersMixin([thresholds.marker(value, label, severity, line)]),
  // Lines at the FoM boundaries 0.7 and 0.3.
  withFomMarkers():: self.withMarkersMixin(thresholds.fom.markers),
};

local legendSetters(type) = {
  withShowLegend(show):: g[type].withShowLegend(show),
};

{
  query:: q.query,
  formula:: q.formula,

  note:: {
    // A note is markdown. It has no title (the API rejects one): put a heading in the content.
    new(content=util.missing('note.new', 'content', 'markdown text')):: {
      definition: { type: 'note', content: util.string('note.new', 'content', content) },
    },
    withBackgroundColor(color):: { definition+: { background_color: palettes.background('note.withBackgroundColor', color) } },
    withFontSize(size):: { definition+: { font_size: std.toString(util.integer('note.withFontSize', 'size', size, 1)) } },
    withTextAlign(align):: { definition+: { text_align: util.oneOf('note.withTextAlign', 'align', align, aligns) } },
    withVerticalAlign(align):: {
      definition+: { vertical_align: util.oneOf('note.withVerticalAlign', 'align', align, ['top', 'center', 'bottom']) },
    },
    withHasPadding(padding):: { definition+: { has_padding: util.boolean('note.withHasPadding', 'padding', padding) } },
    withShowTick(show):: { definition+: { show_tick: util.boolean('note.withShowTick', 'show', show) } },
    withTickEdge(edge):: {
      definition+: { tick_edge: util.oneOf('note.withTickEdge', 'edge', edge, ['bottom', 'left', 'right', 'top']) },
    },
  },

  queryValue:: formulaRequests('query_value', 'queryValue.new', 'scalar') + scalarSetters('queryValue')
               + conditionalSetters('queryValue') + {
    new(title=util.missing('queryValue.new', 'title'), queries=util.missing('queryValue.new', 'queries', 'a list of query.metric(...)'))::
      super.new(title, queries),
    withPrecision(digits):: { definition+: { precision: util.integer('queryValue.withPrecision', 'digits', digits) } },
    withAutoscale(autoscale):: g.queryValue.withAutoscale(autoscale),
    withTextAlign(align):: g.queryValue.withTextAlign(align),
    // A sparkline behind the number: area | bars.
    withTimeseriesBackground(type):: {
      definition+: { timeseries_background: { type: util.oneOf('queryValue.withTimeseriesBackground', 'type', type, ['area', 'bars']) } },
    },
  },

  timeseries:: formulaRequests('timeseries', 'timeseries.new', 'timeseries') + requestPalette('timeseries')
               + markerSetters('timeseries') + legendSetters('timeseries')
               + axisSetters('timeseries', { name: 'YAxis', key: 'yaxis' }) + {
    new(title=util.missing('timeseries.new', 'title'), queries=util.missing('timeseries.new', 'queries', 'a list of query.metric(...)'))::
      super.new(title, queries),
    // line | area | bars
    withDisplayType(displayType):: {
      request_+:: { display_type: util.oneOf('timeseries.withDisplayType', 'display type', displayType, ['line', 'area', 'bars']) },
    },
    withLineType(lineType):: { request_+:: o.timeseriesWidgetRequest.style.withLineType(lineType) },
    withLineWidth(width):: { request_+:: o.timeseriesWidgetRequest.style.withLineWidth(width) },
    // A second series group drawn its own way, e.g. bars of counts under a line of rates.
    withExtraRequest(queries, formulas=null, displayType='line'):: {
      extraRequests_+:: [{
        local list = checkQueries('timeseries.withExtraRequest', queries),
        response_format: 'timeseries',
        queries: list,
        formulas: if formulas == null then [q.formula.new(query.name) for query in list]
        else checkFormulas('timeseries.withExtraRequest', formulas),
        display_type: util.oneOf('timeseries.withExtraRequest', 'displayType', displayType, ['line', 'area', 'bars']),
      }],
    },
    withLegendLayout(layout):: g.timeseries.withLegendLayout(layout),
    withLegendColumns(columns):: g.timeseries.withLegendColumns(columns),
  },

  toplist:: formulaRequests('toplist', 'toplist.new', 'scalar') + scalarSetters('toplist')
            + conditionalSetters('toplist') + requestPalette('toplist') + {
    new(title=util.missing('toplist.new', 'title'), queries=util.missing('toplist.new', 'queries', 'a list of query.metric(...)'))::
      super.new(title, queries),
    // stacked | flat
    withDisplay(display):: g.toplist.style.withDisplay(
      { type: util.oneOf('toplist.withDisplay', 'display', display, ['stacked', 'flat']) }
    ),
    withScaling(scaling):: g.toplist.style.withScaling(scaling),
  },

  // The table widget (type query_table); conditional formats go on each formula (a column).
  table:: formulaRequests('query_table', 'table.new', 'scalar') + scalarSetters('table') + {
    new(title=util.missing('table.new', 'title'), queries=util.missing('table.new', 'queries', 'a list of query.metric(...)'))::
      super.new(title, queries),
    withHasSearchBar(mode):: g.queryTable.withHasSearchBar(mode),
  },

  heatmap:: formulaRequests('heatmap', 'heatmap.new', 'timeseries') + requestPalette('heatmap')
            + legendSetters('heatmap') + axisSetters('heatmap', { name: 'YAxis', key: 'yaxis' }) + {
    new(title=util.missing('heatmap.new', 'title'), queries=util.missing('heatmap.new', 'queries', 'a list of query.metric(...)'))::
      super.new(title, queries),
  },

  distribution:: formulaRequests('distribution', 'distribution.new', 'scalar') + scalarSetters('distribution')
                 + requestPalette('distribution') + legendSetters('distribution')
                 + axisSetters('distribution', { name: 'XAxis', key: 'xaxis' })
                 + axisSetters('distribution', { name: 'YAxis', key: 'yaxis' }) + {
    new(title=util.missing('distribution.new', 'title'), queries=util.missing('distribution.new', 'queries', 'a list of query.metric(...)'))::
      super.new(title, queries),
  },

  // Change over a period: formulas default to [<compareTo>(first query), first query].
  change:: formulaRequests('change', 'change.new', 'scalar') + scalarSetters('change') + {
    new(title=util.missing('change.new', 'title'), queries=util.missing('change.new', 'queries', 'a list of query.metric(...)'))::
      super.new(title, queries) + {
        local widget = self,
        compareTo_:: 'day_before',
        formulas_:: [
          q.formula.new('%s(%s)' % [widget.compareTo_, widget.queries_[0].name]),
          q.formula.new(widget.queries_[0].name),
        ],
        request_+:: {
          compare_to: widget.compareTo_,
          change_type: 'absolute',
          order_by: 'change',
          order_dir: 'desc',
          increase_good: true,
          show_present: true,
        },
      },
    withCompareTo(period):: {
      compareTo_:: util.oneOf('change.withCompareTo', 'period', period, ['hour_before', 'day_before', 'week_before', 'month_before']),
    },
    withChangeType(changeType):: { request_+:: o.changeWidgetRequest.withChangeType(changeType) },
    withIncreaseGood(good):: { request_+:: o.changeWidgetRequest.withIncreaseGood(good) },
    withOrderBy(orderBy):: { request_+:: o.changeWidgetRequest.withOrderBy(orderBy) },
    withShowPresent(show):: { request_+:: o.changeWidgetRequest.withShowPresent(show) },
  },

  // Vega-Lite over formulas-and-functions data; the first request's data is named 'table1' in the spec.
  wildcard:: formulaRequests('wildcard', 'wildcard.new', 'scalar') + scalarSetters('wildcard') + {
    new(title=util.missing('wildcard.new', 'title'),
        queries=util.missing('wildcard.new', 'queries', 'a list of query.metric(...)'),
        vegaLite=util.missing('wildcard.new', 'vegaLite', 'the Vega-Lite spec object'))::
      super.new(title, queries) + {
        definition+: {
          specification: {
            type: 'vega-lite',
            contents:
              if !std.isObject(vegaLite) then error 'wildcard.new: vegaLite must be an object (a Vega-Lite spec)'
              else if std.objectHas(vegaLite, 'contents') then
                error 'wildcard.new: pass the Vega-Lite spec itself; the builder wraps it in {type, contents}'
              else vegaLite,
          },
        },
      },
    // scalar (one row per group, the default) | timeseries (one row per point)
    withResponseFormat(format):: {
      request_+:: { response_format: util.oneOf('wildcard.withResponseFormat', 'format', format, ['scalar', 'timeseries']) },
    },
  },

  group:: titled('group') + {
    // Usually made by layout.section; `widgets` must already carry layouts (from layout.stack).
    new(title=util.missing('group.new', 'title'), widgets=util.missing('group.new', 'widgets')):: {
      definition: {
        type: 'group',
        layout_type: 'ordered',
        title: util.string('group.new', 'title', title),
        widgets: [
          if std.objectHasEx(widget, 'definition', false) && std.primitiveEquals(widget.definition.type, 'group')
          then error 'group.new: groups cannot be nested; put the inner widgets in this section directly'
          else widget
          for widget in util.asList(widgets)
        ],
      },
    },
    withBackgroundColor(color):: { definition+: { background_color: palettes.background('group.withBackgroundColor', color) } },
    withShowTitle(show):: { definition+: { show_title: util.boolean('group.withShowTitle', 'show', show) } },
  },

  checkStatus:: titled('checkStatus') + described('checkStatus') + timed('checkStatus') + {
    new(title=util.missing('checkStatus.new', 'title'), check=util.missing('checkStatus.new', 'check', 'the service check name'),
        grouping=util.missing('checkStatus.new', 'grouping', 'check | cluster'))::
      g.checkStatus.new(util.string('checkStatus.new', 'check', check), grouping)
      + g.checkStatus.withTitle(util.string('checkStatus.new', 'title', title)),
    withTags(tags):: g.checkStatus.withTags(tags),
    withGroupBy(tags):: g.checkStatus.withGroupBy(tags),
    withGroup(group):: g.checkStatus.withGroup(util.string('checkStatus.withGroup', 'group', group)),
  },

  eventStream:: titled('eventStream') + described('eventStream') + timed('eventStream') + {
    new(title=util.missing('eventStream.new', 'title'), query=util.missing('eventStream.new', 'query', 'an event search'))::
      g.eventStream.new(util.string('eventStream.new', 'query', query))
      + g.eventStream.withTitle(util.string('eventStream.new', 'title', title)),
    // s | l (an empty size is rejected by the API)
    withEventSize(size):: g.eventStream.withEventSize(size),
  },

  listStream:: titled('listStream') + described('listStream') + timed('listStream') + {
    sources:: ['logs_stream', 'audit_stream', 'ci_pipeline_stream', 'ci_test_stream', 'rum_issue_stream',
               'apm_issue_stream', 'trace_stream', 'logs_issue_stream', 'logs_pattern_stream',
               'logs_transaction_stream', 'event_stream', 'rum_stream', 'llm_observability_stream', 'issue_stream',
               'security_runtime_stream', 'security_signals_stream', 'incidents_stream', 'case_stream'],
    new(title=util.missing('listStream.new', 'title'), source=util.missing('listStream.new', 'source', 'e.g. logs_stream'),
        queryString=util.missing('listStream.new', 'queryString', "a search such as 'status:error'")):: {
      local widget = self,
      columns_:: ['status_line', 'timestamp', 'host', 'service', 'content'],
      query_:: {},
      definition: {
        type: 'list_stream',
        title: util.string('listStream.new', 'title', title),
        requests: [{
          response_format: 'event_list',
          query: {
            data_source: util.oneOf('listStream.new', 'source', source, $.listStream.sources),
            query_string: if std.isString(queryString) then queryString
            else error 'listStream.new: queryString must be a string',
          } + widget.query_,
          columns: [{ field: field, width: 'auto' } for field in widget.columns_],
        }],
      },
    },
    // Column fields as strings, e.g. ['timestamp', 'service', 'content'].
    withColumns(fields):: { columns_:: util.nonEmptyList('listStream.withColumns', 'fields', util.asList(fields)) },
    withColumnsMixin(fields):: { columns_+:: util.asList(fields) },
    withIndexes(indexes):: { query_+:: o.listStreamQuery.withIndexes(indexes) },
    withSort(column, order='desc'):: {
      query_+:: o.listStreamQuery.withSort(
        o.widgetFieldSort.new(util.string('listStream.withSort', 'column', column), order)
      ),
    },
    withEventSize(size):: { query_+:: o.listStreamQuery.withEventSize(size) },
  },

  // The log stream widget: a live feed of matching logs. Columns are facet names (strings, not objects).
  logStream:: titled('logStream') + described('logStream') + timed('logStream') + {
    new(title=util.missing('logStream.new', 'title'), query=util.missing('logStream.new', 'query', 'a log search')):: {
      definition: {
        type: 'log_stream',
        title: util.string('logStream.new', 'title', title),
        query: if std.isString(query) then query else error 'logStream.new: query must be a string',
        columns: ['host', 'service'],
        sort: { column: 'time', order: 'desc' },
        show_date_column: true,
        show_message_column: true,
        message_display: 'expanded-md',
      },
    },
    // A live error feed: error and critical logs matching `filter`, newest first.
    errors(title, filter='')::
      self.new(title, std.stripChars('status:(error OR critical) ' + filter, ' ')),
    withColumns(columns):: {
      definition+: {
        columns: [
          if std.isString(c) then c
          else error 'logStream.withColumns: columns are facet names (strings), got %s' % std.manifestJsonMinified(c)
          for c in util.asList(columns)
        ],
      },
    },
    withIndexes(indexes):: g.logStream.withIndexes(indexes),
    withSort(column, order='desc'):: g.logStream.withSort(o.widgetFieldSort.new(util.string('logStream.withSort', 'column', column), order)),
    withMessageDisplay(display):: g.logStream.withMessageDisplay(display),
    withShowDateColumn(show):: g.logStream.withShowDateColumn(show),
    withShowMessageColumn(show):: g.logStream.withShowMessageColumn(show),
  },

  image:: {
    new(url=util.missing('image.new', 'url')):: g.image.new(util.string('image.new', 'url', url)),
    withSizing(sizing):: g.image.withSizing(sizing),
    withHasBackground(has):: g.image.withHasBackground(has),
    withHasBorder(has):: g.image.withHasBorder(has),
    withUrlDarkTheme(url):: g.image.withUrlDarkTheme(util.string('image.withUrlDarkTheme', 'url', url)),
  },

  freeText:: {
    new(text=util.missing('freeText.new', 'text')):: g.freeText.new(util.string('freeText.new', 'text', text)),
    withColor(color):: g.freeText.withColor(util.string('freeText.withColor', 'color', color)),
    withFontSize(size):: g.freeText.withFontSize(std.toString(util.integer('freeText.withFontSize', 'size', size, 1))),
    withTextAlign(align):: g.freeText.withTextAlign(align),
  },

  iframe:: {
    new(url=util.missing('iframe.new', 'url')):: g.iframe.new(util.string('iframe.new', 'url', url)),
  },

  slo:: titled('slo') + described('slo') + {
    new(title=util.missing('slo.new', 'title'), sloId=util.missing('slo.new', 'sloId', 'the SLO id'))::
      g.slo.new('detail')
      + g.slo.withTitle(util.string('slo.new', 'title', title))
      + g.slo.withSloId(util.string('slo.new', 'sloId', sloId))
      + g.slo.withTimeWindows(['7d']),
    withTimeWindows(windows):: g.slo.withTimeWindows(windows),
    withViewMode(mode):: g.slo.withViewMode(mode),
    withShowErrorBudget(show):: g.slo.withShowErrorBudget(show),
  },
}
