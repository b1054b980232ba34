// Placement on Datadog's 12-column ordered grid, computed, never typed by hand.
// A *block* is a band of widgets with relative y and a height; `stack` turns blocks into placed widgets.
//   layout.stack([
//     layout.row([a, b, c, d], [3, 3, 3, 3], 2),
//     layout.section('PR velocity', 'vivid_blue', [layout.row([e, f], [6, 6], 3)]),
//   ])
local core = import 'gen/core.libsonnet';
local palettes = import 'palettes.libsonnet';
local util = import 'util.libsonnet';
local widgets = import 'widgets.libsonnet';

local columns = 12;
local widgetLayout = core.objects.widgetLayout;

local checkWidget(where, widget) =
  if std.isObject(widget) && std.objectHas(widget, 'definition') then widget
  else error '%s: expected a widget (built with a widgets.libsonnet new(...)), got %s' % [where, std.manifestJsonMinified(widget)];

local isBlock(value) = std.isObject(value) && std.objectHasAll(value, 'isLayoutBlock');

// A block knows its height and how to place its widgets below a given top: `place(top)` is the widgets with
// their `layout` (built with the generated core's widgetLayout). Each widget is placed once, in the group or
// the dashboard that finally holds it, however deep its block was stacked.
local block(height, place) = { isLayoutBlock:: true, height:: height, place:: place };

// Where each of `sizes[lo:hi]` starts when they are laid end to end from 0, then their total: [0, s0, s0 + s1, ..., sum].
// One by one for a few (a row's widths), by halves for more: one by one, each sum is a lazy sum over the one before,
// n deep (past about 500 blocks, the C++ and Go engines' stack overflows when a stack's height is asked first),
// and jrsonnet reads an appended array link by link (time quadratic in n). By halves: n log n, log n deep.
local offsets(sizes, lo=0, hi=std.length(sizes)) =
  if hi - lo <= 8 then std.foldl(function(acc, i) acc + [acc[std.length(acc) - 1] + sizes[i]], std.range(lo, hi - 1), [0])
  else
    // Halves by index: jrsonnet slows down exponentially on slices of slices.
    local middle = std.floor((lo + hi) / 2);
    local left = offsets(sizes, lo, middle);
    local right = offsets(sizes, middle, hi);
    local leftTotal = left[middle - lo];
    left + [right[i] + leftTotal for i in std.range(1, hi - middle)];

local placed(widget, x, y, width, height) = widget + { layout: widgetLayout.new(x, y, width, height) };

{
  columns:: columns,

  // One band: widgets side by side with the given widths (one per widget, or one width for all), all of
  // the same height. The widths must add up to at most 12.
  row(widgets=util.missing('layout.row', 'widgets'), widths=util.missing('layout.row', 'widths', 'e.g. [6, 6]'),
      height=util.missing('layout.row', 'height', 'grid rows, e.g. 2'))::
    local list = util.nonEmptyList('layout.row', 'widgets', util.asList(widgets));
    local count = std.length(list);
    local ws = if std.isNumber(widths) then std.makeArray(count, function(i) widths) else widths;
    local xs = offsets(ws);  // left edge of each widget, then the total width
    local total = xs[count];
    local h = util.integer('layout.row', 'height', height, 1);
    if std.length(ws) != count then
      error 'layout.row: %d widgets but %d widths; give one width per widget' % [std.length(list), std.length(ws)]
    else if std.length([w for w in ws if !std.isNumber(w) || w < 1 || std.floor(w) != w]) > 0 then
      error 'layout.row: widths must be whole numbers >= 1, got %s' % std.manifestJsonMinified(ws)
    else if total > columns then
      error 'layout.row: widths %s add up to %d, wider than the 12-column grid; shrink them or split the row' % [
        std.manifestJsonMinified(ws), total,
      ]
    else
      local checked = [checkWidget('layout.row', widget) for widget in list];
      block(h, function(top) [placed(checked[i], xs[i], top, ws[i], h) for i in std.range(0, count - 1)]),

  // One widget across the whole width.
  full(widget, height):: self.row([widget], [columns], height),

  // Uniform grid: widgets of the same width and height, wrapped onto as many rows as needed.
  grid(widgets=util.missing('layout.grid', 'widgets'), width=util.missing('layout.grid', 'width', 'columns per widget'),
       height=util.missing('layout.grid', 'height'))::
    local list = util.nonEmptyList('layout.grid', 'widgets', util.asList(widgets));
    local count = std.length(list);
    local w = util.integer('layout.grid', 'width', width, 1);
    local perRow = if w > columns then
      error 'layout.grid: width %d is wider than the 12-column grid; use 12 or less' % w
    else std.floor(columns / w);
    local h = util.integer('layout.grid', 'height', height, 1);
    local checked = [checkWidget('layout.grid', widget) for widget in list];
    block(std.ceil(count / perRow) * h, function(top) [
      placed(checked[i], (i % perRow) * w, top + std.floor(i / perRow) * h, w, h)
      for i in std.range(0, count - 1)
    ]),

  // Blocks one under the other, as one block (rows inside a section, or parts of a page).
  stackBlocks(blocks)::
    local list = [
      if isBlock(b) then b
      else error 'layout: expected rows, grids or sections (layout.row/grid/section), got %s' % std.manifestJsonMinified(b)
      for b in util.nonEmptyList('layout.stackBlocks', 'blocks', util.asList(blocks))
    ];
    local count = std.length(list);
    local tops = offsets([b.height for b in list]);
    block(tops[count], function(top) std.flattenArrays([list[i].place(top + tops[i]) for i in std.range(0, count - 1)])),

  // A titled section: a group widget with a background colour holding the given blocks, full width.
  // Its height is the inner height plus one row for the title bar.
  section(title=util.missing('layout.section', 'title'), color=util.missing('layout.section', 'color', 'e.g. vivid_blue'),
          blocks=util.missing('layout.section', 'blocks', 'rows built with layout.row/grid'))::
    local inner = self.stackBlocks(blocks);
    local group = widgets.group.new(title, [
      if w.definition.type == 'group' then error 'layout.section: sections cannot be nested; flatten them'
      else w
      for w in inner.place(0)
    ]) + widgets.group.withBackgroundColor(palettes.background('layout.section', color));
    block(inner.height + 1, function(top) [placed(group, 0, top, columns, inner.height + 1)]),

  // The dashboard's widget list: blocks stacked top to bottom, with absolute positions.
  stack(blocks):: self.stackBlocks(blocks).place(0),

  // Height of a block (rows, grid, section), e.g. to align neighbours.
  height(b):: if isBlock(b) then b.height else error 'layout.height: expected a block',
}
