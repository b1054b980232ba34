// Links between dashboards, resolved at compile time from dashboards/registry.json.
local util = import 'util.libsonnet';

{
  // '/dashboard/<id>' for a dashboard of this project (by file name, e.g. 'system_health_rollup').
  // An unknown name is a compile error; a dashboard without an ID yet gets a search link and a warning.
  dashboard(name=util.missing('links.dashboard', 'name', 'a dashboard file name')):: std.native('dashboardUrl')(util.string('links.dashboard', 'name', name)),

  // A custom link for a widget's context menu (withCustomLinks / withCustomLinksMixin).
  custom(label=util.missing('links.custom', 'label'), name=util.missing('links.custom', 'name', 'a dashboard file name'))::
    { label: util.string('links.custom', 'label', label), link: $.dashboard(name) },
  customUrl(label, url):: { label: util.string('links.customUrl', 'label', label), link: util.string('links.customUrl', 'url', url) },

  // Markdown link for notes: links.markdown('System Health Rollup', 'system_health_rollup').
  markdown(text, name):: '[%s](%s)' % [util.string('links.markdown', 'text', text), self.dashboard(name)],

  // A markdown bullet list of dashboard links from [[text, name], ...].
  markdownList(pairs):: std.join('\n', ['- ' + self.markdown(pair[0], pair[1]) for pair in util.asList(pairs)]),
}
