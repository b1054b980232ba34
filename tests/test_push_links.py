"""Links between dashboards settle in one push: targets are resolved first (registered ID, 404 then
adoption by title, or to be created), links compiled against them, and dashboards whose links named a
dashboard created in this push are sent again. Through the components' `links` library, against the emulator.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_sync import make_dashboard
from test_sync import registry_ids as ids

from metta_dash.cli import main

REPO = Path(__file__).resolve().parent.parent

OVERVIEW = """
local links = import 'links.libsonnet';
{
  title: 'Overview', layout_type: 'ordered',
  widgets: [{ definition: {
    type: 'note', content: links.markdownList([['Deploys', 'deploys'], ['PRs', 'pr_health']]),
  } }],
}
"""

DEPLOYS = """
local links = import 'links.libsonnet';
{
  title: 'Deploys', layout_type: 'ordered',
  widgets: [{ definition: { type: 'note', content: 'Back to ' + links.markdown('the overview', 'overview') } }],
}
"""


@pytest.fixture
def project(tmp_path, monkeypatch, dd_emulator) -> Path:
    (tmp_path / "pyproject.toml").write_text(f'[tool.metta-dash]\ncomponents = "{REPO / "components"}"\n')
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "overview.jsonnet").write_text(OVERVIEW)
    (tmp_path / "dashboards" / "deploys.jsonnet").write_text(DEPLOYS)
    (tmp_path / "dashboards" / "pr_health.jsonnet").write_text(json.dumps(make_dashboard("PR Health")))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def note(emulator, dashboard_id: str) -> str:
    return emulator.dashboards[dashboard_id]["widgets"][0]["definition"]["content"]


def assert_settled(project: Path, emulator, capsys) -> None:
    """The links point at the live IDs, and neither diff nor push has anything to send."""
    registered = ids(project)
    assert set(registered.values()) == set(emulator.dashboards)
    overview = note(emulator, registered["overview"])
    assert f"/dashboard/{registered['deploys']})" in overview and f"/dashboard/{registered['pr_health']})" in overview
    assert f"/dashboard/{registered['overview']})" in note(emulator, registered["deploys"])
    capsys.readouterr()
    emulator.clear_requests()
    assert main(["diff"]) == 0
    assert main(["push"]) == 0
    assert emulator.writes == []
    assert capsys.readouterr().out.splitlines()[-1] == "3 dashboard(s): 3 unchanged"


def test_a_fresh_org_with_stale_registered_ids_settles_in_one_push(project, dd_emulator, capsys):
    stale = {"overview": "old-ovr-111", "deploys": "old-dep-222", "pr_health": "old-prh-333"}
    document = {"version": 1, "dashboards": {name: {"id": i} for name, i in stale.items()}}
    (project / "dashboards" / "registry.json").write_text(json.dumps(document))

    assert main(["push"]) == 0
    out = capsys.readouterr().out
    assert out.count("created") >= 3 and "is not in Datadog (HTTP 404)" in out
    assert not set(stale.values()) & set(ids(project).values())
    assert len(dd_emulator.dashboards) == 3
    assert_settled(project, dd_emulator, capsys)


def test_a_push_after_the_registry_is_lost_adopts_everything_with_no_force(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    before = ids(project)
    assert_settled(project, dd_emulator, capsys)
    (project / "dashboards" / "registry.json").unlink()
    dd_emulator.clear_requests()

    assert main(["push"]) == 0
    out = capsys.readouterr().out
    assert "conflict" not in out and out.splitlines()[-1] == "3 dashboard(s): 3 unchanged"
    assert dd_emulator.writes == []
    assert ids(project) == before
    assert_settled(project, dd_emulator, capsys)


def test_a_first_push_settles_links_both_ways(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    assert_settled(project, dd_emulator, capsys)


def test_a_dry_run_after_the_registry_is_lost_shows_no_change(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    (project / "dashboards" / "registry.json").unlink()
    capsys.readouterr()
    assert main(["diff"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 dashboard(s): 3 unchanged"


def test_a_create_whose_push_was_killed_before_its_links_were_sent_again_settles_with_no_force(
    project, dd_emulator, capsys
):
    """A push killed (SIGKILL, a second Ctrl-C) after a create answered, before it was recorded and sent again
    with the new links: the next push finds it by title; it differs only in its links to other dashboards, which
    are this tool's to set, so it is updated, not a conflict that only --force would clear."""
    assert main(["push"]) == 0
    registered = ids(project)
    overview = dd_emulator.dashboards[registered["overview"]]
    overview["widgets"][0]["definition"]["content"] = note(dd_emulator, registered["overview"]).replace(
        f"/dashboard/{registered['deploys']})", "/dashboard/lists?q=deploys)"
    )
    document = json.loads((project / "dashboards" / "registry.json").read_text())
    del document["dashboards"]["overview"]
    (project / "dashboards" / "registry.json").write_text(json.dumps(document))
    capsys.readouterr()

    assert main(["push"]) == 0
    out = capsys.readouterr().out
    assert "conflict" not in out and out.splitlines()[-1] == "3 dashboard(s): 1 updated, 2 unchanged"
    assert ids(project) == registered
    assert_settled(project, dd_emulator, capsys)


def test_an_adopted_dashboard_that_differs_beyond_its_links_is_still_a_conflict(project, dd_emulator, capsys):
    assert main(["push"]) == 0
    registered = ids(project)
    dd_emulator.dashboards[registered["deploys"]]["widgets"][0]["definition"]["content"] += " (edited in the UI)"
    (project / "dashboards" / "registry.json").unlink()
    capsys.readouterr()
    assert main(["push"]) == 1
    assert "deploys" in capsys.readouterr().out.split("conflict", 1)[1].splitlines()[0]


def test_a_failed_link_resend_still_says_the_dashboard_was_created_and_recorded(project, dd_emulator, capsys):
    dd_emulator.fail_next(400, count=10, method="PUT", body={"errors": ["refused by a proxy"]})
    assert main(["push"]) == 1
    out = capsys.readouterr().out
    registered = ids(project)
    assert set(registered) == {"overview", "deploys", "pr_health"} and len(dd_emulator.dashboards) == 3
    for name in ("overview", "deploys"):
        line = next(line for line in out.splitlines() if line.split()[1:2] == [name])
        assert line.startswith("failed") and f"created as {registered[name]} and recorded" in line
        assert "sending it again with the links to the new dashboards failed" in line
    dd_emulator.clear_faults()
    assert main(["push"]) == 0
    assert_settled(project, dd_emulator, capsys)
