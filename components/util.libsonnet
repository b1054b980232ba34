// Checks and small helpers shared by the component library. Every check fails at compile time with a
// message naming the builder, the argument and what to do instead.
//
// These run for every argument of every builder, so they use builtins only: in this Jsonnet, `==` and `!=`
// call std.equals, and std.isString, std.abs, std.toString, std.objectHas and `%` on numbers are Jsonnet
// functions calling further ones; std.type, std.primitiveEquals, std.objectHasEx, std.modulo and std.length
// are builtins, ten to twenty times cheaper. Messages are still built with `%`: they only run on error.

local is(value, type) = std.primitiveEquals(std.type(value), type);

// Whole numbers up to 2^53 are exact doubles, printed digit for digit.
local exactLimit = 9007199254740992;

// The digits after the point of `fraction` / 10^decimals (a whole number below 10^decimals): zero-padded on
// the left to `decimals` digits, trailing zeros dropped.
local decimalDigits(fraction, decimals) =
  if std.primitiveEquals(std.modulo(fraction, 10), 0) then decimalDigits(fraction / 10, decimals - 1)
  else
    local digits = '' + fraction;
    std.substr('00000', 0, decimals - std.length(digits)) + digits;

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
  if !is(value, 'string') then null
  else
    local scored = [{ name: c, d: distance(value, c) } for c in candidates if is(c, 'string')];
    local near = [s for s in scored
                  if !std.primitiveEquals(s.name, value) && s.d <= std.max(1, std.floor(std.length(s.name) / 3)) && s.d < std.length(value)];
    if std.length(near) == 0 then null else std.sort(near, function(s) s.d)[0].name;

{
  // std.type(value) == type, without std.equals: util.is(x, 'string').
  is(value, type):: is(value, type),

  asList(value):: if is(value, 'array') then value else [value],

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
    if is(value, 'string') && std.length(value) > 0 then value
    else error '%s: %s must be a non-empty string, got %s' % [where, name, std.manifestJsonMinified(value)],

  number(where, name, value)::
    if is(value, 'number') then value
    else error '%s: %s must be a number, got %s' % [where, name, std.manifestJsonMinified(value)],

  integer(where, name, value, min=0)::
    if is(value, 'number') && std.primitiveEquals(std.floor(value), value) && value >= min then value
    else error '%s: %s must be a whole number >= %d, got %s' % [where, name, min, std.manifestJsonMinified(value)],

  boolean(where, name, value)::
    if is(value, 'boolean') then value
    else error '%s: %s must be true or false, got %s' % [where, name, std.manifestJsonMinified(value)],

  // A primitive comparison per choice: std.member goes through std.equals, several calls per element.
  oneOf(where, name, value, allowed)::
    if std.length(std.filter(function(choice) std.primitiveEquals(choice, value), allowed)) > 0 then value
    else error '%s: %s must be one of %s, got %s%s' % [where, name, std.join('|', allowed), std.manifestJsonMinified(value),
                                                         $.didYouMean(value, allowed)],

  nonEmptyList(where, name, value)::
    if is(value, 'array') && std.length(value) > 0 then value
    else error '%s: %s must be a non-empty list, got %s' % [where, name, std.manifestJsonMinified(value)],

  // A long text (a note) with `{name}` placeholders filled from `values` (each value as std.toString writes it):
  // fill('under {good} days', { good: 14 }). std.format reads the whole text character by character in Jsonnet;
  // std.strReplace is a builtin.
  fill(text, values)::
    std.foldl(function(filled, key) std.strReplace(filled, '{' + key + '}', std.toString(values[key])),
              std.objectFields(values), text),

  // '%d' % value, without std.format for whole numbers: below 2^53 they print exactly as '%d' writes them
  // (and -0 reads '0' there).
  int(value)::
    if is(value, 'number') && std.primitiveEquals(std.floor(value), value) && value < exactLimit && value > -exactLimit then
      (if std.primitiveEquals(value, 0) then '0' else '' + value)
    else '%d' % value,

  // Numbers as they should read inside a Datadog formula: 0.1 not 0.10000000000000001. The text is that of
  // '%d' % value for whole numbers and '%g' % value otherwise, built with arithmetic: std.format parses its
  // format string in Jsonnet, and formulas call this for every number they hold.
  num(value)::
    if std.primitiveEquals(std.floor(value), value) then $.int(value)
    else
      // The steps of std.format's '%g': six significant digits, at least one of them before the point,
      // trailing zeros dropped; exponent notation outside 1e-4 <= |value| < 1e6 (left to std.format).
      local magnitude = if value < 0 then -value else value;
      local exponent = std.floor(std.log(magnitude) / std.log(10));
      if exponent < -4 || exponent >= 6 then '%g' % value
      else
        local decimals = 6 - (if exponent > 0 then exponent + 1 else 1);
        local denominator = std.pow(10, decimals);
        local numerator = magnitude * denominator + 0.5;
        local whole = std.floor(numerator / denominator);
        local fraction = std.modulo(std.floor(numerator), denominator);
        (if value < 0 then '-' else '') + whole
        + (if fraction > 0 then '.' + decimalDigits(fraction, decimals) else ''),

  // Checks the generated builders (gen/) call, one per setter argument. `type` is a std.type name.
  typed(where, name, value, type)::
    if is(value, type) then value
    else error '%s: %s must be %s, got %s' % [where, name, type, std.manifestJsonMinified(value)],

  typedAny(where, name, value, types)::
    if std.length(std.filter(function(type) is(value, type), types)) > 0 then value
    else error '%s: %s must be %s, got %s' % [where, name, std.join(' or ', types), std.manifestJsonMinified(value)],

  // A whole number (or null when `nullable`).
  whole(where, name, value, nullable=false)::
    if (is(value, 'number') && std.primitiveEquals(std.floor(value), value)) || (nullable && is(value, 'null')) then value
    else error '%s: %s must be a whole number, got %s' % [where, name, std.manifestJsonMinified(value)],

  // One of the allowed values, with the nearest allowed value suggested for a near miss.
  enum(where, name, value, allowed)::
    if !is(value, 'object') && !is(value, 'array') && !is(value, 'function')
       && std.length(std.filter(function(choice) std.primitiveEquals(choice, value), allowed)) > 0 then value
    else error '%s: %s must be one of %s, got %s%s' % [
      where, name, std.join('|', [std.toString(choice) for choice in allowed]), std.manifestJsonMinified(value),
      $.didYouMean(value, allowed),
    ],

  // Every item of a list one of the allowed values.
  enumList(where, name, value, allowed):: [$.enum(where, name + ' item', item, allowed) for item in $.asList(value)],
}
