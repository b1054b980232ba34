// Template variables and the filter convention: a query honours a variable by holding `$name` in its
// filter, e.g. 'avg:github.prs.open{$env}'; `templates.filter([templates.env])` writes '$env'.
local util = import 'util.libsonnet';

{
  // A variable on tag `prefix`, defaulting to every value ('*').
  variable(name=util.missing('templates.variable', 'name'), prefix=util.missing('templates.variable', 'prefix', 'the tag key'))::
    {
      name: util.string('templates.variable', 'name', name),
      prefix: util.string('templates.variable', 'prefix', prefix),
      available_values: [],
      default: '*',
    },
  // One default value (never `defaults` as well: the API rejects both together).
  withDefault(value):: { default: util.string('templates.withDefault', 'value', value) },
  withAvailableValues(values):: { available_values: util.asList(values) },

  env:: self.variable('env', 'env'),
  service:: self.variable('service', 'service'),
  host:: self.variable('host', 'host'),

  // Filter text for a list of variables: '$env,$service'; '*' when the list is empty.
  filter(variables)::
    local names = ['$' + v.name for v in util.asList(variables)];
    if std.length(names) == 0 then '*' else std.join(',', names),
}
