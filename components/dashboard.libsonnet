// The dashboard itself: an ordered 12-column grid with fixed reflow (every widget carries a computed layout).
//   dashboard.new('GitHub CI/CD') + dashboard.withDescription('...') + dashboard.withWidgets(layout.stack([...]))
local util = import 'util.libsonnet';

local timeUnits = ['minute', 'hour', 'day', 'week', 'month', 'year'];

{
  new(title=util.missing('dashboard.new', 'title')):: {
    title: util.string('dashboard.new', 'title', title),
    layout_type: 'ordered',
    reflow_type: 'fixed',
    widgets: [],
  },
  withDescription(text):: { description: util.string('dashboard.withDescription', 'text', text) },
  // Placed widgets, normally `layout.stack([...])`.
  withWidgets(widgets):: {
    widgets: [
      if !std.isObject(w) || !std.objectHas(w, 'definition') then
        error 'dashboard.withWidgets: expected widgets; pass layout.stack([...]) rather than rows or sections'
      else if !std.objectHas(w, 'layout') then
        error 'dashboard.withWidgets: widget %s has no layout; place it with layout.row/grid/section inside layout.stack'
              % std.manifestJsonMinified(std.get(w.definition, 'title', w.definition.type))
      else w
      for w in util.asList(widgets)
    ],
  },
  withTemplateVariables(variables):: { template_variables: util.asList(variables) },
  withTemplateVariablesMixin(variables):: { template_variables+: util.asList(variables) },
  // The time range the dashboard opens with; users can still change it: withDefaultTimeframe(30, 'day').
  withDefaultTimeframe(value, unit):: {
    default_timeframe: {
      type: 'live',
      value: util.integer('dashboard.withDefaultTimeframe', 'value', value, 1),
      unit: util.oneOf('dashboard.withDefaultTimeframe', 'unit', unit, timeUnits),
    },
  },
  // Tags must be `team:<name>` or `ai:<name>` (the keys the API accepts), at most five.
  withTags(tags)::
    local list = util.asList(tags);
    {
      tags:
        if std.length(list) > 5 then error 'dashboard.withTags: at most 5 tags, got %d' % std.length(list)
        else [
          if std.isString(t) && (std.startsWith(t, 'team:') || std.startsWith(t, 'ai:')) then t
          else error "dashboard.withTags: tags must look like 'team:<name>' or 'ai:<name>', got %s" % std.manifestJsonMinified(t)
          for t in list
        ],
    },
  withNotifyList(handles):: { notify_list: util.asList(handles) },
}
