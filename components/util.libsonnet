// Checks and small helpers shared by the component library. Every check fails at compile time with a
// message naming the builder, the argument and what to do instead.

local is(value, type) = std.type(value) == type;

// Edit distance (insertions, deletions, substitutions), case-insensitive, one row of the table at a time.
// Only error messages call it.
local distance(a, b) =
  local x = std.asciiLower(a), y = std.asciiLower(b);
  local next(previous, i) = std.foldl(
    function(row, j) row + [std.min(std.min(previous[j] + 1, row[j - 1] + 1),
                                    previous[j - 1] + (if x[i - 1] == y[j - 1] then 0 else 1))],
    std.range(1, std.length(y)), [i]);
  std.foldl(next, std.range(1, std.length(x)), std.range(0, std.length(y)))[std.length(y)];

// The candidate nearest to `value` when it is a near miss (a typo, not another word), else null.
local closest(value, candidates) =
  if !std.isString(value) then null
  else
    local scored = [{ name: c, d: distance(value, c) } for c in candidates if std.isString(c)];
    local near = [s for s in scored
                  if s.name != value && s.d <= std.max(1, std.floor(std.length(s.name) / 3)) && s.d < std.length(value)];
    if std.length(near) == 0 then null else std.sort(near, function(s) s.d)[0].name;

{
  // util.is(x, 'string'): whether std.type(x) is that type.
  is(value, type):: is(value, type),

  asList(value):: if std.isArray(value) then value else [value],

  // Suggestions for error messages: closest('dog_clasic', ['dog_classic', 'cool']) is 'dog_classic' (null when
  // nothing is near); didYouMean(...) is ' (did you mean "dog_classic"?)' or ''. Builders and generated checks
  // append it to their "must be one of" messages.
  closest(value, candidates):: closest(value, candidates),
  didYouMean(value, candidates)::
    local best = closest(value, candidates);
    if best == null then '' else ' (did you mean %s?)' % std.manifestJsonMinified(best),

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
    else error '%s: %s must be one of %s, got %s%s' % [where, name, std.join('|', allowed), std.manifestJsonMinified(value),
                                                         $.didYouMean(value, allowed)],

  nonEmptyList(where, name, value)::
    if std.isArray(value) && std.length(value) > 0 then value
    else error '%s: %s must be a non-empty list, got %s' % [where, name, std.manifestJsonMinified(value)],

  // '%d' % value: whole numbers as Datadog reads them.
  int(value):: '%d' % value,

  // Numbers as they should read inside a Datadog formula: 0.1 not 0.10000000000000001 ('%g'), whole
  // numbers without a point ('%d').
  num(value):: if std.floor(value) == value then $.int(value) else '%g' % value,

  // Checks the generated builders (gen/) call, one per setter argument. `type` is a std.type name.
  typed(where, name, value, type)::
    if is(value, type) then value
    else error '%s: %s must be %s, got %s' % [where, name, type, std.manifestJsonMinified(value)],

  typedAny(where, name, value, types)::
    if std.member(types, std.type(value)) then value
    else error '%s: %s must be %s, got %s' % [where, name, std.join(' or ', types), std.manifestJsonMinified(value)],

  // A whole number (or null when `nullable`).
  whole(where, name, value, nullable=false)::
    if (std.isNumber(value) && std.floor(value) == value) || (nullable && value == null) then value
    else error '%s: %s must be a whole number, got %s' % [where, name, std.manifestJsonMinified(value)],

  // One of the allowed values, with the nearest allowed value suggested for a near miss.
  enum(where, name, value, allowed)::
    if !std.isObject(value) && !std.isArray(value) && !std.isFunction(value) && std.member(allowed, value) then value
    else error '%s: %s must be one of %s, got %s%s' % [
      where, name, std.join('|', [std.toString(choice) for choice in allowed]), std.manifestJsonMinified(value),
      $.didYouMean(value, allowed),
    ],

  // Every item of a list one of the allowed values.
  enumList(where, name, value, allowed):: [$.enum(where, name + ' item', item, allowed) for item in $.asList(value)],

  // The setters of a generated builder (gen/), from its field table: `withX: [key, check]`, and
  // `withXMixin: [key, check, true]` to append to a list. A check is a std.type name, 'whole' ('whole?': or
  // null), 'list', 'any', [allowed values], { list: [allowed values] } (a list of them) or { types: [names] }.
  // `path` places the fields (a widget's under ['definition']); `groups` names a setter group per plain object
  // field, `yaxis: [key, its table]` (`timeseries.yaxis.withMin`). A setter is made when first called.
  setters(label, table, path=[], groups={})::
    local depth = std.length(path);
    // One function a setter, made for its kind of check when the setter is first used, so that a call does
    // only its own check: setters run for every field of every widget, and a call costs more than the check.
    local setter(name) =
      local key = table[name][0];
      local check = table[name][1];
      local mixin = std.length(table[name]) > 2;
      local where = label + '.' + name;
      local checkOf =
        if std.isArray(check) then
          function(value) if !std.isFunction(value) && std.member(check, value) then value else $.enum(where, key, value, check)
        else if check == 'list' then function(value) if std.isArray(value) then value else [value]
        else if check == 'any' then function(value) value
        else if check == 'whole' then
          function(value) if std.isNumber(value) && std.floor(value) == value then value else $.whole(where, key, value)
        else if check == 'whole?' then function(value) $.whole(where, key, value, true)
        else if std.isObject(check) && std.objectHas(check, 'list') then function(value) $.enumList(where, key, value, check.list)
        else if std.isObject(check) then function(value) $.typedAny(where, key, value, check.types)
        else function(value) if std.type(value) == check then value else $.typed(where, key, value, check);
      if depth == 0 then
        if mixin then function(value) { [key]+: checkOf(value) }
        else if check == 'list' then function(value) { [key]: if std.isArray(value) then value else [value] }
        else if std.isString(check) && check != 'any' && check != 'whole' && check != 'whole?' then
          function(value) { [key]: if std.type(value) == check then value else $.typed(where, key, value, check) }
        else function(value) { [key]: checkOf(value) }
      else
        local field(value) = if mixin then { [key]+: checkOf(value) } else { [key]: checkOf(value) };
        if depth == 1 then function(value) { [path[0]]+: field(value) }
        else function(value) { [path[0]]+: { [path[1]]+: field(value) } };
    { [name]: setter(name) for name in std.objectFields(table) }
    + { [name]: $.setters(label + '.' + name, groups[name][1], path + [groups[name][0]]) for name in std.objectFields(groups) },
}
