"""A generated dashboard of N widgets, for measuring how compile and validation scale.

    python benchmarks/scale_fixture.py 10000 > big.jsonnet

Sections of 24 timeseries widgets (one metric query each, a marker, a template variable in the scope),
eight query values per row band and a note per section: the shapes the project's dashboards use, many times.
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

local section(s) =
  local first = s * perSection;
  local size = std.min(perSection, count - first);
  layout.section('Section %%d' %% s, 'vivid_blue', [
    layout.grid([widget(first + i) for i in std.range(0, size - 1)], 3, 2),
  ]);

dashboard.new('Scale %%d widgets' %% count)
+ dashboard.withTemplateVariables([templates.env])
+ dashboard.withWidgets(layout.stack([section(s) for s in std.range(0, sections - 1)]))
"""


def fixture(count: int) -> str:
    """Jsonnet source of a dashboard with `count` widgets inside groups (plus one group per 24)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    return TEMPLATE % {"count": count, "per_section": PER_SECTION}


if __name__ == "__main__":
    sys.stdout.write(fixture(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
