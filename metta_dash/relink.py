"""Links between dashboards that follow the IDs a push resolves.

A compiled dashboard links to another as `/dashboard/<id>` (or, with no ID yet, the placeholder
`/dashboard/lists?q=<name>`): see `links.dashboard` and compile's `dashboardUrl` callback. When a push finds
that a name's ID is not the one compiled in (a registered ID that answers 404, a dashboard adopted by title
after the registry was lost, one created or replaced just now), every dashboard whose JSON holds the old
link is compiled again against the new IDs.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping, Sequence

from metta_dash import compile as jsonnet
from metta_dash.settings import Settings
from metta_dash.validate import Checked, check_sources

Ids = Mapping[str, str | None]


def changed_names(compiled_with: Ids, now: Ids) -> dict[str, str | None]:
    """name -> the ID compiled in, for every name whose ID is now different."""
    return {name: compiled_with.get(name) for name, new in now.items() if compiled_with.get(name) != new}


def _link_pattern(changed: Mapping[str, str | None]) -> re.Pattern[str] | None:
    links = [
        f"/dashboard/{re.escape(old)}" if old else re.escape(f"{jsonnet.UNRESOLVED_LINK}{name}")
        for name, old in changed.items()
    ]
    return re.compile(f"(?:{'|'.join(links)})(?![A-Za-z0-9_.-])") if links else None


def linking(dashboards: Iterable[Checked], changed: Mapping[str, str | None]) -> list[Checked]:
    """The dashboards whose JSON holds a link to one of the `changed` names as compiled before."""
    pattern = _link_pattern(changed)
    if pattern is None:
        return []
    return [c for c in dashboards if c.dashboard is not None and pattern.search(json.dumps(c.dashboard))]


def recompile(
    stale: Sequence[Checked], settings: Settings, options: jsonnet.Options, ids: Ids
) -> dict[str, Checked]:
    """Compile the sources of `stale` again with `ids` for the links: name -> the new Checked.

    A dashboard that does not come out again (its source changed meanwhile) comes back without a
    dashboard, carrying its source's findings, so that it is not sent with stale links.
    """
    relinked = dataclasses.replace(options, dashboard_ids={**options.dashboard_ids, **ids})
    sources = list(dict.fromkeys(c.source for c in stale))
    results = check_sources(sources, settings, relinked)
    fresh = {c.name: c for c in results if c.name is not None}
    return {
        c.name: fresh.get(c.name) or Checked(
            c.source, c.name, None, [f for r in results if r.source == c.source and r.name is None for f in r.findings]
        )
        for c in stale
    }
