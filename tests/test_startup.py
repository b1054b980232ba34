"""Start-up: `validate` and `build` load only what they use (measured with `python -X importtime`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Push-only dependencies: the HTTP client and its transport, the diff library, the lock, the spec reader.
PUSH_ONLY = ("datadog_api_client", "urllib3", "deepdiff", "filelock", "yaml", "jsonschema")

LOADED_AFTER = """
import json, sys
from metta_dash.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def modules_loaded_by(*args: str, cwd: Path) -> set[str]:
    run = subprocess.run([sys.executable, "-c", LOADED_AFTER, *args], cwd=cwd, capture_output=True, text=True,
                         check=True)
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, run.stdout + run.stderr
    return {name.split(".")[0] for name in report["modules"]}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.metta-dash]\n')
    (tmp_path / "components").mkdir()
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "ok.jsonnet").write_text(
        "{ title: 'Ok', layout_type: 'ordered', widgets: [{ definition: { type: 'note', content: 'hi' } }] }"
    )
    return tmp_path


@pytest.mark.parametrize("command", [["validate"], ["build"], ["--version"]])
def test_checking_loads_no_push_dependency(project, command):
    loaded = modules_loaded_by(*command, cwd=project)
    assert not loaded & set(PUSH_ONLY), f"{command} imported {sorted(loaded & set(PUSH_ONLY))}"


def test_version_loads_no_engine_and_no_validator(project):
    loaded = modules_loaded_by("--version", cwd=project)
    assert not loaded & {"rjsonnet", "_jsonnet", "_gojsonnet", "jsonschema_rs"}


def test_help_still_lists_every_command(project, capsys):
    from metta_dash.cli import LAZY_COMMANDS, main

    assert main(["--help"]) == 0
    listed = capsys.readouterr().out
    assert all(f"  {name} " in listed for name in LAZY_COMMANDS)


def test_every_command_of_every_command_module_is_registered():
    import importlib
    import pkgutil

    from metta_dash import cli

    registered = {}
    for module in pkgutil.iter_modules(cli.__path__):
        commands = getattr(importlib.import_module(f"metta_dash.cli.{module.name}"), "COMMANDS", ())
        registered.update({command.name: f"metta_dash.cli.{module.name}" for command in commands})
    lazily = {name: target.split(":")[0] for name, target in cli.LAZY_COMMANDS.items() if name != "schema"}
    assert registered == lazily


REPLAYED = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules))))
sys.argv = ["metta-dash", *sys.argv[1:]]
from metta_dash.launch import entry_point
entry_point()
"""


def test_a_no_op_build_loads_neither_click_nor_the_library(project):
    def run() -> tuple[str, set[str]]:
        done = subprocess.run([sys.executable, "-c", REPLAYED, "build"], cwd=project, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        printed, modules = done.stdout.strip().rsplit("\n", 1)
        return printed, set(json.loads(modules))

    full, loaded_by_build = run()
    replayed, loaded = run()
    assert replayed == full and "1 file checked" in full
    assert "click" in loaded_by_build and "click" not in loaded
    assert {name for name in loaded if name.startswith("metta_dash")} == {
        "metta_dash", "metta_dash.launch", "metta_dash.noop_build"
    }
    assert not loaded & {"tomllib", "rjsonnet", "_jsonnet", "_gojsonnet", "jsonschema_rs", *PUSH_ONLY}
