// Dashboard settings, template variables and links between dashboards.
local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local links = import 'links.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

{
  dashboardIsOrderedFixed: std.assertEqual(
    dashboard.new('T') + dashboard.withDescription('d') + dashboard.withDefaultTimeframe(30, 'day')
    + dashboard.withTags(['team:devops']) + dashboard.withWidgets(layout.stack([layout.full(w.note.new('n'), 1)])),
    {
      title: 'T',
      description: 'd',
      layout_type: 'ordered',
      reflow_type: 'fixed',
      default_timeframe: { type: 'live', value: 30, unit: 'day' },
      tags: ['team:devops'],
      widgets: [{ definition: { type: 'note', content: 'n' }, layout: { x: 0, y: 0, width: 12, height: 1 } }],
    },
  ),

  envVariable: std.assertEqual(
    templates.env,
    { name: 'env', prefix: 'env', available_values: [], default: '*' },
  ),

  variableDefault: std.assertEqual((templates.service + templates.withDefault('api')).default, 'api'),

  filterText: std.assertEqual(
    [templates.filter([templates.env]), templates.filter([templates.env, templates.service]), templates.filter([])],
    ['$env', '$env,$service', '*'],
  ),

  templateVariablesMixin: std.assertEqual(
    [v.name for v in (dashboard.withTemplateVariables([templates.env]) + dashboard.withTemplateVariablesMixin([templates.host])).template_variables],
    ['env', 'host'],
  ),

  dashboardLink: std.assertEqual(std.startsWith(links.dashboard('system_health_rollup'), '/dashboard/'), true),

  markdownLink: std.assertEqual(
    links.markdown('Rollup', 'system_health_rollup'),
    '[Rollup](%s)' % links.dashboard('system_health_rollup'),
  ),

  customLink: std.assertEqual(
    links.custom('Rollup', 'system_health_rollup'),
    { label: 'Rollup', link: links.dashboard('system_health_rollup') },
  ),
}
