"""Pushing against the Datadog emulator (real HTTP on loopback, real datadog-api-client).

Every scenario that could duplicate a dashboard or lose an edit: idempotent re-push, one-widget update,
UI edits (conflicts), a lost registry, ambiguous titles, retries, errors that are not "not found",
a crash between create and registry write, Datadog's 400 mapped to a widget, layout_type replacement,
dry runs, and concurrent pushes sharing one registry.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import registry as id_registry
from metta_dash import settings as project_settings
from metta_dash import sync
from metta_dash.datadog import Client
from metta_dash.registry import Entry
from metta_dash.validate import Checked


def timeseries(title: str, marker: int = 48) -> dict:
    return {
        "definition": {
            "type": "timeseries",
            "title": title,
            "requests": [{"q": "avg:system.load.1{*}", "display_type": "line"}],
            "markers": [{"value": f"y = {marker}", "display_type": "error dashed"}],
        }
    }


def make_dashboard(title: str, widgets: int = 3, layout_type: str = "ordered") -> dict:
    widgets_list = [{"definition": {"type": "note", "content": f"About {title}"}}]
    widgets_list += [timeseries(f"{title} series {n}") for n in range(1, widgets)]
    if layout_type == "free":
        for n, widget in enumerate(widgets_list):
            widget["layout"] = {"x": 0, "y": n * 3, "width": 4, "height": 3}
    return {"title": title, "layout_type": layout_type, "widgets": widgets_list}


def write_source(project: Path, name: str, dashboard: dict) -> None:
    (project / "dashboards" / f"{name}.jsonnet").write_text(json.dumps(dashboard, indent=2))


def new_project(root: Path, dashboards: dict[str, dict]) -> Path:
    (root / "pyproject.toml").write_text('[tool.metta-dash]\noutput = "build/dashboards"\n')
    (root / "components").mkdir()
    (root / "dashboards").mkdir()
    for name, dashboard in dashboards.items():
        write_source(root, name, dashboard)
    return root


@pytest.fixture
def project(tmp_path) -> Path:
    return new_project(tmp_path, {"pr_health": make_dashboard("PR Health"), "deploys": make_dashboard("Deploys")})


def registry_of(project: Path) -> id_registry.Registry:
    return id_registry.load(project / "dashboards" / "registry.json")


def registry_ids(project: Path) -> dict[str, str]:
    return registry_of(project).ids()


def run_push(project: Path, emulator, names=(), **options) -> dict[str, sync.Outcome]:
    settings = project_settings.load(project)
    loaded = sync.load_project(settings, jsonnet.options_for(settings))
    with Client(api_url=emulator.url, backoff=0.01) as client:
        outcomes = sync.push(
            loaded.select(names), client, id_registry.load(settings.registry), **options,
            all_titles=[(name, c.dashboard["title"]) for name, c in loaded.dashboards.items()],
        )
    return {outcome.name: outcome for outcome in outcomes}


def calls(emulator, *methods: str) -> list:
    return [r for r in emulator.requests if r.method in methods]


def writes(emulator) -> list:
    return calls(emulator, "POST", "PUT", "DELETE")


def reset_requests(emulator) -> None:
    emulator.clear_requests()


def by_title(emulator, title: str) -> list[str]:
    return [i for i, d in emulator.dashboards.items() if d.get("title") == title]


# -- idempotence -------------------------------------------------------------------------------------


def test_first_push_creates_and_the_second_sends_no_write(project, dd_emulator):
    first = run_push(project, dd_emulator)
    assert {o.state for o in first.values()} == {"created"}
    registry = registry_of(project)
    assert set(registry.ids()) == {"pr_health", "deploys"}
    assert all(registry.get(n).has_pushed_state for n in registry.ids())
    assert len(calls(dd_emulator, "POST")) == 2

    reset_requests(dd_emulator)
    second = run_push(project, dd_emulator)
    assert {o.state for o in second.values()} == {"unchanged"}
    assert writes(dd_emulator) == []
    assert len(dd_emulator.dashboards) == 2


def test_changing_one_widget_sends_exactly_one_put_naming_that_widget(project, dd_emulator):
    run_push(project, dd_emulator)
    changed = make_dashboard("PR Health")
    changed["widgets"][1] = timeseries("PR Health series 1", marker=24)
    write_source(project, "pr_health", changed)
    reset_requests(dd_emulator)

    outcomes = run_push(project, dd_emulator)
    assert outcomes["pr_health"].state == "updated" and outcomes["deploys"].state == "unchanged"
    assert [r.method for r in writes(dd_emulator)] == ["PUT"]
    lines = [c.describe() for c in outcomes["pr_health"].changes]
    assert lines == [
        "~ timeseries 'PR Health series 1' $.widgets[1].definition.markers[0].value: \"y = 48\" -> \"y = 24\""
    ]
    dashboard_id = registry_of(project).get("pr_health").id
    assert dd_emulator.dashboards[dashboard_id]["widgets"][1]["definition"]["markers"][0]["value"] == "y = 24"


def test_dry_run_writes_nothing(project, dd_emulator):
    outcomes = run_push(project, dd_emulator, dry_run=True)
    assert {o.label for o in outcomes.values()} == {"would create"}
    assert writes(dd_emulator) == [] and dd_emulator.dashboards == {}
    assert not (project / "dashboards" / "registry.json").exists()


# -- edits made in the UI ----------------------------------------------------------------------------


def ui_edit(emulator, dashboard_id: str) -> None:
    def retitle(dashboard):
        dashboard["widgets"][1]["definition"]["title"] = "Renamed in the UI"
        return dashboard

    emulator.edit(dashboard_id, retitle)


def test_a_ui_edit_is_a_conflict_without_force(project, dd_emulator):
    run_push(project, dd_emulator)
    dashboard_id = registry_of(project).get("pr_health").id
    ui_edit(dd_emulator, dashboard_id)
    reset_requests(dd_emulator)

    outcome = run_push(project, dd_emulator)["pr_health"]
    assert outcome.state == "conflict" and not outcome.ok
    assert "--force" in outcome.message
    assert any("Renamed in the UI" in c.describe() for c in outcome.changes)
    assert writes(dd_emulator) == []
    assert dd_emulator.dashboards[dashboard_id]["widgets"][1]["definition"]["title"] == "Renamed in the UI"

    forced = run_push(project, dd_emulator, force=True)["pr_health"]
    assert forced.state == "updated"
    assert dd_emulator.dashboards[dashboard_id]["widgets"][1]["definition"]["title"] == "PR Health series 1"
    reset_requests(dd_emulator)
    assert run_push(project, dd_emulator)["pr_health"].state == "unchanged"
    assert writes(dd_emulator) == []


def test_a_local_change_over_an_untouched_remote_is_no_conflict(project, dd_emulator):
    run_push(project, dd_emulator)
    write_source(project, "deploys", make_dashboard("Deploys", widgets=4))
    assert run_push(project, dd_emulator)["deploys"].state == "updated"


def test_hand_registered_entry_differing_from_the_source_needs_force_once(project, dd_emulator):
    with Client(api_url=dd_emulator.url) as client:
        made_in_ui = client.create(make_dashboard("PR Health", widgets=2))
    registry = registry_of(project)
    registry.set("pr_health", Entry(id=made_in_ui["id"], title="PR Health"))

    outcome = run_push(project, dd_emulator, names=["pr_health"])["pr_health"]
    assert outcome.state == "conflict" and "registered by hand" in outcome.message
    assert run_push(project, dd_emulator, names=["pr_health"], force=True)["pr_health"].state == "updated"
    assert registry_of(project).get("pr_health").has_pushed_state
    assert run_push(project, dd_emulator, names=["pr_health"])["pr_health"].state == "unchanged"


def test_hand_registered_entry_equal_to_the_source_records_its_state(project, dd_emulator):
    with Client(api_url=dd_emulator.url) as client:
        made_in_ui = client.create(make_dashboard("PR Health"))
    registry_of(project).set("pr_health", Entry(id=made_in_ui["id"], title="PR Health"))
    reset_requests(dd_emulator)

    assert run_push(project, dd_emulator, names=["pr_health"])["pr_health"].state == "unchanged"
    assert writes(dd_emulator) == []
    assert registry_of(project).get("pr_health").has_pushed_state


# -- never a duplicate -------------------------------------------------------------------------------


def test_a_lost_registry_adopts_by_title(project, dd_emulator):
    run_push(project, dd_emulator)
    ids = registry_of(project).ids()
    (project / "dashboards" / "registry.json").unlink()
    reset_requests(dd_emulator)

    outcomes = run_push(project, dd_emulator)
    assert {o.state for o in outcomes.values()} == {"unchanged"}
    assert "adopted" in outcomes["pr_health"].message
    assert calls(dd_emulator, "POST") == []
    assert registry_of(project).ids() == ids
    assert len(dd_emulator.dashboards) == 2


def test_a_registered_id_answering_404_adopts_by_title_before_creating(project, dd_emulator):
    run_push(project, dd_emulator)
    real_id = registry_of(project).get("deploys").id
    registry_of(project).set("deploys", Entry(id="zzz-zzz-zzz", title="Deploys"))

    assert run_push(project, dd_emulator)["deploys"].state == "unchanged"
    assert registry_of(project).get("deploys").id == real_id
    assert by_title(dd_emulator, "Deploys") == [real_id]


def test_a_registered_id_answering_404_with_no_title_match_is_created_anew(project, dd_emulator):
    registry_of(project).set("deploys", Entry(id="zzz-zzz-zzz", title="Deploys"))
    outcome = run_push(project, dd_emulator, names=["deploys"])["deploys"]
    assert outcome.state == "created" and "zzz-zzz-zzz is not in Datadog" in outcome.message
    assert registry_of(project).get("deploys").id == outcome.dashboard_id != "zzz-zzz-zzz"


def test_two_remote_dashboards_with_the_title_are_refused_naming_both(project, dd_emulator):
    with Client(api_url=dd_emulator.url) as client:
        ids = [client.create(make_dashboard("Deploys"))["id"] for _ in range(2)]
    reset_requests(dd_emulator)

    outcomes = run_push(project, dd_emulator)
    assert outcomes["deploys"].state == "failed"
    assert all(i in outcomes["deploys"].message for i in ids)
    assert outcomes["pr_health"].state == "created"
    assert len(by_title(dd_emulator, "Deploys")) == 2


def test_a_crash_between_create_and_registry_write_leaves_no_duplicate(project, dd_emulator, monkeypatch):
    def crash(self, name, entry):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(id_registry.Registry, "set", crash)
        outcomes = run_push(project, dd_emulator)
    assert {o.state for o in outcomes.values()} == {"failed"}
    assert "next push finds the dashboard by its title" in outcomes["deploys"].message
    assert len(dd_emulator.dashboards) == 2
    assert registry_of(project).ids() == {}

    again = run_push(project, dd_emulator)
    assert {o.state for o in again.values()} == {"unchanged"}
    assert len(dd_emulator.dashboards) == 2
    assert set(registry_of(project).ids().values()) == set(dd_emulator.dashboards)


def test_a_dashboard_registered_under_another_name_is_never_adopted(project, dd_emulator):
    run_push(project, dd_emulator, names=["deploys"])
    write_source(project, "deploys_copy", make_dashboard("Deploys"))
    outcomes = run_push(project, dd_emulator, names=["deploys_copy"])
    assert outcomes["deploys_copy"].state == "failed" and "titles must be unique" in outcomes["deploys_copy"].message
    assert len(dd_emulator.dashboards) == 1


# -- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limits_and_server_errors_are_retried(project, dd_emulator, status):
    run_push(project, dd_emulator)
    write_source(project, "deploys", make_dashboard("Deploys", widgets=5))
    dd_emulator.fail_next(status=status, count=2, reset=0)
    outcomes = run_push(project, dd_emulator, jobs=1)
    assert outcomes["deploys"].state == "updated"
    assert outcomes["pr_health"].state == "unchanged"
    assert len(dd_emulator.dashboards) == 2


@pytest.mark.parametrize("status", [403, 500])
def test_a_get_failing_with_anything_but_404_creates_nothing(project, dd_emulator, status):
    run_push(project, dd_emulator)
    before = copy.deepcopy(dd_emulator.dashboards)
    write_source(project, "deploys", make_dashboard("Deploys", widgets=5))
    reset_requests(dd_emulator)
    dd_emulator.fail_next(status=status, count=50)

    outcomes = run_push(project, dd_emulator, jobs=1)
    assert {o.state for o in outcomes.values()} == {"failed"}
    assert calls(dd_emulator, "POST", "PUT") == []
    assert dd_emulator.dashboards == before


def test_a_rejection_is_reported_against_the_widget(project, dd_emulator):
    rejected = make_dashboard("Rejected", widgets=3)
    rejected["widgets"][0]["definition"]["title"] = "A note may not have a title"
    settings = project_settings.load(project)
    checked = Checked(project / "dashboards" / "rejected.jsonnet", "rejected", rejected, [])
    with Client(api_url=dd_emulator.url, backoff=0.01) as client:
        [outcome] = sync.push([checked], client, id_registry.load(settings.registry))
    assert outcome.state == "failed" and "HTTP 400" in outcome.message
    [finding] = outcome.findings
    assert finding.jsonpath == "$.widgets[0]" and finding.widget_type == "note"
    assert "title" in finding.message
    assert finding.file.endswith("rejected.jsonnet")
    assert by_title(dd_emulator, "Rejected") == []


def test_a_dashboard_with_validation_errors_is_not_sent(project, dd_emulator):
    broken = make_dashboard("Broken")
    broken["widgets"][0]["definition"]["title"] = "A note may not have a title"
    write_source(project, "broken", broken)
    outcomes = run_push(project, dd_emulator)
    assert outcomes["broken"].state == "failed" and outcomes["broken"].findings
    assert outcomes["pr_health"].state == "created"
    assert by_title(dd_emulator, "Broken") == []


# -- layout_type changes -----------------------------------------------------------------------------


def test_a_layout_type_change_is_a_replace_that_needs_force(project, dd_emulator):
    run_push(project, dd_emulator)
    old_id = registry_of(project).get("deploys").id
    write_source(project, "deploys", make_dashboard("Deploys", layout_type="free"))
    reset_requests(dd_emulator)

    blocked = run_push(project, dd_emulator)["deploys"]
    assert blocked.action == "replace" and blocked.state == "conflict" and "--force" in blocked.message
    assert blocked.label == "replace" and not blocked.ok
    assert writes(dd_emulator) == []

    replaced = run_push(project, dd_emulator, force=True)["deploys"]
    assert replaced.state == "replaced"
    new_id = registry_of(project).get("deploys").id
    assert new_id != old_id and replaced.dashboard_id == new_id
    assert old_id not in dd_emulator.dashboards
    assert dd_emulator.dashboards[new_id]["layout_type"] == "free"
    assert [r.method for r in writes(dd_emulator)] == ["POST", "DELETE"]
    assert run_push(project, dd_emulator)["deploys"].state == "unchanged"


def test_a_replace_interrupted_after_its_create_reuses_that_dashboard(project, dd_emulator):
    run_push(project, dd_emulator)
    old_id = registry_of(project).get("deploys").id
    free = make_dashboard("Deploys", layout_type="free")
    leftover = dd_emulator.add(free)  # created by a replace that died before recording it
    write_source(project, "deploys", free)

    assert run_push(project, dd_emulator, force=True)["deploys"].state == "replaced"
    assert registry_of(project).get("deploys").id == leftover["id"]
    assert by_title(dd_emulator, "Deploys") == [leftover["id"]] and old_id not in dd_emulator.dashboards


# -- many dashboards at once -------------------------------------------------------------------------


def test_concurrent_pushes_record_every_id(tmp_path, dd_emulator):
    project = new_project(tmp_path, {f"d{n:02}": make_dashboard(f"Dashboard {n}") for n in range(24)})
    outcomes = run_push(project, dd_emulator, jobs=8)
    assert {o.state for o in outcomes.values()} == {"created"}
    assert len(registry_of(project).ids()) == 24
    assert set(registry_of(project).ids().values()) == set(dd_emulator.dashboards)
    reset_requests(dd_emulator)
    assert {o.state for o in run_push(project, dd_emulator, jobs=8).values()} == {"unchanged"}
    assert writes(dd_emulator) == []
