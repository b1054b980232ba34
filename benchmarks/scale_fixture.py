"""A generated dashboard of N widgets, for measuring how compile and validation scale.

    python benchmarks/scale_fixture.py 10000 [sections|rows] > big.jsonnet

Timeseries widgets (one metric query each, a marker, a template variable in the scope) and one query value in
eight, laid out in one of two shapes: `sections` of 24 in a grid, as the project's dashboards do, many times;
or `rows`, each widget a full-width row of its own and all of them stacked at one level, the most blocks one
`layout.stack` can be given.
"""

from __future__ import annotations

import sys

PER_SECTION = 24

TEMPLATE = """\
local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local templates = import 'templates.libsonnet';
local w = import 'widgets.libsonnet';

local count = %(count)d;
local perSection = %(per_section)d;
local sections = std.ceil(count / perSection);

local widget(i) =
  if i %% 8 == 0 then
    w.queryValue.new('Value %%d' %% i, [w.query.metric('v', 'avg:bench.value{$env,shard:%%d}' %% i)])
  else
    w.timeseries.new('Series %%d' %% i, [w.query.metric('s', 'avg:bench.series{$env,shard:%%d} by {host}' %% i)])
    + w.timeseries.withMarker(100, 'limit');

local row(i) = layout.full(widget(i), 2);

local section(s) =
  local first = s * perSection;
  local size = std.min(perSection, count - first);
  layout.section('Section %%d' %% s, 'vivid_blue', [
    layout.grid([widget(first + i) for i in std.range(0, size - 1)], 3, 2),
  ]);

dashboard.new('Scale %%d widgets' %% count)
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack(%(blocks)s))
"""

BLOCKS = {
    "sections": "[section(s) for s in std.range(0, sections - 1)]",
    "rows": "[row(i) for i in std.range(0, count - 1)]",
}


def fixture(count: int, shape: str = "sections") -> str:
    """Jsonnet source of a dashboard with `count` widgets in the given shape (`sections` adds a group per 24)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if shape not in BLOCKS:
        raise ValueError(f"shape must be one of {', '.join(BLOCKS)}")
    return TEMPLATE % {"count": count, "per_section": PER_SECTION, "blocks": BLOCKS[shape]}


if __name__ == "__main__":
    sys.stdout.write(fixture(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, *sys.argv[2:3]))
