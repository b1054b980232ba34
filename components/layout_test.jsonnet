// Layout places widgets on the 12-column grid: no overlaps, nothing past column 12, sections stack.
local layout = import 'layout.libsonnet';
local w = import 'widgets.libsonnet';

local n(text) = w.note.new(text);
local boxes(widgets) = [x.layout for x in widgets];

// True when no two widgets of one container overlap and all fit the grid; recurses into groups.
local fits(widgets) =
  local ls = boxes(widgets);
  local overlap(a, b) = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  std.all([l.x >= 0 && l.y >= 0 && l.x + l.width <= 12 for l in ls])
  && std.all([!overlap(ls[i], ls[j]) for i in std.range(0, std.length(ls) - 1) for j in std.range(0, std.length(ls) - 1) if i < j])
  && std.all([fits(x.definition.widgets) for x in widgets if x.definition.type == 'group' && std.length(x.definition.widgets) > 0]);

local page = layout.stack([
  layout.full(n('header'), 1),
  layout.section('Status', 'vivid_blue', [
    layout.row([n('a'), n('b'), n('c'), n('d')], 3, 2),
    layout.row([n('e'), n('f')], [8, 4], 3),
  ]),
  layout.grid([n('g1'), n('g2'), n('g3'), n('g4'), n('g5')], 4, 2),
  layout.section('More', 'gray', [layout.grid([n('h1'), n('h2'), n('h3')], 6, 3)]),
]);

{
  rowPlacesLeftToRight: std.assertEqual(
    boxes(layout.stack([layout.row([n('a'), n('b'), n('c')], [3, 5, 4], 2)])),
    [
      { x: 0, y: 0, width: 3, height: 2 },
      { x: 3, y: 0, width: 5, height: 2 },
      { x: 8, y: 0, width: 4, height: 2 },
    ],
  ),

  rowsStack: std.assertEqual(
    [l.y for l in boxes(layout.stack([layout.row([n('a')], 12, 2), layout.row([n('b')], 12, 3), layout.row([n('c')], 6, 1)]))],
    [0, 2, 5],
  ),

  gridWraps: std.assertEqual(
    [[l.x, l.y] for l in boxes(layout.stack([layout.grid([n('1'), n('2'), n('3'), n('4'), n('5')], 4, 2)]))],
    [[0, 0], [4, 0], [8, 0], [0, 2], [4, 2]],
  ),

  sectionIsFullWidthGroupWithTitleRow: std.assertEqual(
    local s = layout.stack([layout.section('S', 'vivid_green', [layout.row([n('a'), n('b')], 6, 3), layout.row([n('c')], 12, 2)])]);
    [s[0].layout, s[0].definition.type, s[0].definition.background_color, s[0].definition.title, boxes(s[0].definition.widgets)],
    [
      { x: 0, y: 0, width: 12, height: 6 },
      'group',
      'vivid_green',
      'S',
      [{ x: 0, y: 0, width: 6, height: 3 }, { x: 6, y: 0, width: 6, height: 3 }, { x: 0, y: 3, width: 12, height: 2 }],
    ],
  ),

  sectionsStackBelowEachOther: std.assertEqual(
    [[x.definition.type, x.layout.y, x.layout.height] for x in page],
    [['note', 0, 1], ['group', 1, 6], ['note', 7, 2], ['note', 7, 2], ['note', 7, 2], ['note', 9, 2], ['note', 9, 2], ['group', 11, 7]],
  ),

  pageFitsTheGrid: std.assertEqual(fits(page), true),

  blockHeight: std.assertEqual(layout.height(layout.section('S', 'gray', [layout.row([n('a')], 12, 4)])), 5),

  // Past eight blocks, a stack sums their heights by halves: the same tops as one by one.
  manyBlocksStack:
    local heights = [1 + (i * 7) % 5 for i in std.range(0, 24)];
    local placed = layout.stack([layout.row([n(std.toString(h))], 12, h) for h in heights]);
    std.assertEqual(
      [[l.y, l.height] for l in boxes(placed)],
      [[std.sum(heights[:i]), heights[i]] for i in std.range(0, 24)],
    ) && std.assertEqual(layout.height(layout.stackBlocks([layout.row([n('x')], 12, h) for h in heights])), std.sum(heights)),

  widgetsKeepTheirDefinition: std.assertEqual(page[0].definition, { type: 'note', content: 'header' }),
}
