// The widget types dashboards use less often (toplists, heatmaps, distributions, change, wildcard, check
// status, event/list/log streams, images, free text, iframes, SLOs), on the generated core like
// widgets.libsonnet, which names each of them: `w.toplist.new(...)`. A file of their own, so a compile that uses
// none of them does not parse them. It is a function of the setters widgets.libsonnet shares with it
// (`parts`), so it does not import that file back.
local gen = import 'gen/main.libsonnet';
local q = import 'query.libsonnet';
local util = import 'util.libsonnet';

function(parts)
local formulaRequests = parts.formulaRequests;
local scalarSetters = parts.scalarSetters;
local conditionalSetters = parts.conditionalSetters;
local axisSetters = parts.axisSetters;
local requestPalette = parts.requestPalette;
local legendSetters = parts.legendSetters;
local titled = parts.titled;
local described = parts.described;
local timed = parts.timed;

{
  toplist::
    local widget = gen.widgets.toplist;
    formulaRequests(widget, 'toplist', 'scalar', 'toplist') + scalarSetters + conditionalSetters('toplist')
    + requestPalette('toplist') + {
      // stacked | flat
      withDisplay(display):: widget.style.withDisplay(
        { type: util.oneOf('toplist.withDisplay', 'display', display, ['stacked', 'flat']) }
      ),
      withScaling(scaling):: widget.style.withScaling(scaling),
    },

  heatmap::
    local widget = gen.widgets.heatmap;
    formulaRequests(widget, 'heatmap', 'timeseries', 'heatmap') + requestPalette('heatmap')
    + legendSetters(widget) + axisSetters('heatmap', widget.yaxis, 'YAxis'),

  distribution::
    local widget = gen.widgets.distribution;
    formulaRequests(widget, 'distribution', 'scalar', 'distribution') + scalarSetters + requestPalette('distribution')
    + legendSetters(widget) + axisSetters('distribution', widget.xaxis, 'XAxis')
    + axisSetters('distribution', widget.yaxis, 'YAxis'),

  // Change over a period: formulas default to [<compareTo>(first query), first query].
  change::
    local request = gen.objects.changeWidgetRequest;
    formulaRequests(gen.widgets.change, 'change', 'scalar', 'change') + scalarSetters + {
      new(title=util.missing('change.new', 'title'), queries=util.missing('change.new', 'queries', 'a list of query.metric(...)'))::
        super.new(title, queries) + {
          local widget = self,
          compareTo_:: 'day_before',
          formulas_:: [
            q.formula.new('%s(%s)' % [widget.compareTo_, widget.queries_[0].name]),
            q.formula.new(widget.queries_[0].name),
          ],
          request_+:: request.withCompareTo(widget.compareTo_)
                      + request.withChangeType('absolute')
                      + request.withOrderBy('change')
                      + request.withOrderDir('desc')
                      + request.withIncreaseGood(true)
                      + request.withShowPresent(true),
        },
      withCompareTo(period):: {
        compareTo_:: util.oneOf('change.withCompareTo', 'period', period, ['hour_before', 'day_before', 'week_before', 'month_before']),
      },
      withChangeType(changeType):: { request_+:: request.withChangeType(changeType) },
      withIncreaseGood(good):: { request_+:: request.withIncreaseGood(good) },
      withOrderBy(orderBy):: { request_+:: request.withOrderBy(orderBy) },
      withShowPresent(show):: { request_+:: request.withShowPresent(show) },
    },

  // Vega-Lite over formulas-and-functions data; the first request's data is named 'table1' in the spec. Its
  // requests are timeseries requests (one branch of the wildcard request union), in either response format.
  wildcard::
    local widget = gen.widgets.wildcard;
    local request = gen.objects.timeseriesWidgetRequest;
    formulaRequests(widget, 'wildcard', 'scalar', 'wildcard') + scalarSetters + {
      new(title=util.missing('wildcard.new', 'title'),
          queries=util.missing('wildcard.new', 'queries', 'a list of query.metric(...)'),
          vegaLite=util.missing('wildcard.new', 'vegaLite', 'the Vega-Lite spec object'))::
        local spec = gen.objects.wildcardWidgetSpecification.new(
          'vega-lite',
          if !std.isObject(vegaLite) then error 'wildcard.new: vegaLite must be an object (a Vega-Lite spec)'
          else if std.objectHas(vegaLite, 'contents') then
            error 'wildcard.new: pass the Vega-Lite spec itself; the builder wraps it in {type, contents}'
          else vegaLite,
        );
        super.new(title, queries) + widget.withSpecification(spec),
      // scalar (one row per group, the default) | timeseries (one row per point)
      withResponseFormat(format):: {
        request_+:: request.withResponseFormat(util.oneOf('wildcard.withResponseFormat', 'format', format, ['scalar', 'timeseries'])),
      },
    },

  checkStatus::
    local widget = gen.widgets.checkStatus;
    titled(widget) + described(widget, 'checkStatus') + timed(widget) + {
      new(title=util.missing('checkStatus.new', 'title'), check=util.missing('checkStatus.new', 'check', 'the service check name'),
          grouping=util.missing('checkStatus.new', 'grouping', 'check | cluster'))::
        widget.new(util.string('checkStatus.new', 'check', check), grouping)
        + widget.withTitle(util.string('checkStatus.new', 'title', title)),
      withTags(tags):: widget.withTags(tags),
      withGroupBy(tags):: widget.withGroupBy(tags),
      withGroup(group):: widget.withGroup(util.string('checkStatus.withGroup', 'group', group)),
    },

  eventStream::
    local widget = gen.widgets.eventStream;
    titled(widget) + described(widget, 'eventStream') + timed(widget) + {
      new(title=util.missing('eventStream.new', 'title'), query=util.missing('eventStream.new', 'query', 'an event search'))::
        widget.new(util.string('eventStream.new', 'query', query))
        + widget.withTitle(util.string('eventStream.new', 'title', title)),
      // s | l (an empty size is rejected by the API)
      withEventSize(size):: widget.withEventSize(size),
    },

  listStream::
    local widget = gen.widgets.listStream;
    local request = gen.objects.listStreamWidgetRequest;
    local query = gen.objects.listStreamQuery;
    titled(widget) + described(widget, 'listStream') + timed(widget) + {
      new(title=util.missing('listStream.new', 'title'), source=util.missing('listStream.new', 'source', 'e.g. logs_stream'),
          queryString=util.missing('listStream.new', 'queryString', "a search such as 'status:error'"))::
        widget.new([]) + widget.withTitle(util.string('listStream.new', 'title', title)) + {
          local this = self,
          columns_:: ['status_line', 'timestamp', 'host', 'service', 'content'],
          query_:: query.new(queryString, source),
          definition+: widget.withRequests([
            request.new([gen.objects.listStreamColumn.new('auto', field) for field in this.columns_], this.query_),
          ]).definition,
        },
      // Column fields as strings, e.g. ['timestamp', 'service', 'content'].
      withColumns(fields):: { columns_:: util.nonEmptyList('listStream.withColumns', 'fields', util.asList(fields)) },
      withColumnsMixin(fields):: { columns_+:: util.asList(fields) },
      withIndexes(indexes):: { query_+:: query.withIndexes(indexes) },
      withSort(column, order='desc'):: {
        query_+:: query.withSort(gen.objects.widgetFieldSort.new(util.string('listStream.withSort', 'column', column), order)),
      },
      withEventSize(size):: { query_+:: query.withEventSize(size) },
    },

  // The log stream widget: a live feed of matching logs. Columns are facet names (strings, not objects).
  logStream::
    local widget = gen.widgets.logStream;
    titled(widget) + described(widget, 'logStream') + timed(widget) + {
      new(title=util.missing('logStream.new', 'title'), query=util.missing('logStream.new', 'query', 'a log search'))::
        widget.new()
        + widget.withTitle(util.string('logStream.new', 'title', title))
        + widget.withQuery(query)
        + widget.withColumns(['host', 'service'])
        + self.withSort('time')
        + widget.withShowDateColumn(true)
        + widget.withShowMessageColumn(true)
        + widget.withMessageDisplay('expanded-md'),
      // A live error feed: error and critical logs matching `filter`, newest first.
      errors(title, filter='')::
        self.new(title, std.stripChars('status:(error OR critical) ' + filter, ' ')),
      withColumns(columns):: widget.withColumns([
        if std.isString(c) then c
        else error 'logStream.withColumns: columns are facet names (strings), got %s' % std.manifestJsonMinified(c)
        for c in util.asList(columns)
      ]),
      withIndexes(indexes):: widget.withIndexes(indexes),
      withSort(column, order='desc')::
        widget.withSort(gen.objects.widgetFieldSort.new(util.string('logStream.withSort', 'column', column), order)),
      withMessageDisplay(display):: widget.withMessageDisplay(display),
      withShowDateColumn(show):: widget.withShowDateColumn(show),
      withShowMessageColumn(show):: widget.withShowMessageColumn(show),
    },

  image::
    local widget = gen.widgets.image;
    {
      new(url=util.missing('image.new', 'url')):: widget.new(util.string('image.new', 'url', url)),
      withSizing(sizing):: widget.withSizing(sizing),
      withHasBackground(has):: widget.withHasBackground(has),
      withHasBorder(has):: widget.withHasBorder(has),
      withUrlDarkTheme(url):: widget.withUrlDarkTheme(util.string('image.withUrlDarkTheme', 'url', url)),
    },

  freeText::
    local widget = gen.widgets.freeText;
    {
      new(text=util.missing('freeText.new', 'text')):: widget.new(util.string('freeText.new', 'text', text)),
      withColor(color):: widget.withColor(util.string('freeText.withColor', 'color', color)),
      withFontSize(size):: widget.withFontSize(std.toString(util.integer('freeText.withFontSize', 'size', size, 1))),
      withTextAlign(align):: widget.withTextAlign(align),
    },

  iframe:: {
    new(url=util.missing('iframe.new', 'url')):: gen.widgets.iframe.new(util.string('iframe.new', 'url', url)),
  },

  slo::
    local widget = gen.widgets.slo;
    titled(widget) + described(widget, 'slo') + {
      new(title=util.missing('slo.new', 'title'), sloId=util.missing('slo.new', 'sloId', 'the SLO id'))::
        widget.new('detail')
        + widget.withTitle(util.string('slo.new', 'title', title))
        + widget.withSloId(util.string('slo.new', 'sloId', sloId))
        + widget.withTimeWindows(['7d']),
      withTimeWindows(windows):: widget.withTimeWindows(windows),
      withViewMode(mode):: widget.withViewMode(mode),
      withShowErrorBudget(show):: widget.withShowErrorBudget(show),
    },
}
