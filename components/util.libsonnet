// Checks and small helpers shared by the component library. Every check fails at compile time with a
// message naming the builder, the argument and what to do instead.
{
  asList(value):: if std.isArray(value) then value else [value],

  // Default for a required parameter: `new(title=util.missing('timeseries.new', 'title'))`.
  missing(where, name, what='')::
    error '%s: %s is required%s' % [where, name, if what == '' then '' else ' (' + what + ')'],

  string(where, name, value)::
    if std.isString(value) && value != '' then value
    else error '%s: %s must be a non-empty string, got %s' % [where, name, std.manifestJsonMinified(value)],

  number(where, name, value)::
    if std.isNumber(value) then value
    else error '%s: %s must be a number, got %s' % [where, name, std.manifestJsonMinified(value)],

  integer(where, name, value, min=0)::
    if std.isNumber(value) && std.floor(value) == value && value >= min then value
    else error '%s: %s must be a whole number >= %d, got %s' % [where, name, min, std.manifestJsonMinified(value)],

  boolean(where, name, value)::
    if std.isBoolean(value) then value
    else error '%s: %s must be true or false, got %s' % [where, name, std.manifestJsonMinified(value)],

  oneOf(where, name, value, allowed)::
    if std.member(allowed, value) then value
    else error '%s: %s must be one of %s, got %s' % [where, name, std.join('|', allowed), std.manifestJsonMinified(value)],

  nonEmptyList(where, name, value)::
    if std.isArray(value) && std.length(value) > 0 then value
    else error '%s: %s must be a non-empty list, got %s' % [where, name, std.manifestJsonMinified(value)],

  // Numbers as they should read inside a Datadog formula: 0.1 not 0.10000000000000001.
  num(value)::
    if std.floor(value) == value then '%d' % value else '%g' % value,
}
