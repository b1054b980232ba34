"""The library travels: the built wheel, installed in a fresh virtualenv outside the repository, builds a
dashboard of another project that imports the shipped library as 'metta-dash/<file>'.

Offline and fast: the wheel is built with this environment's setuptools (no build isolation) and installed
without dependencies; the fresh environment reaches the dependencies through a path entry to this environment's
site-packages (a plain path: the editable install of this checkout is not visible there), so metta_dash itself
can only come from the installed wheel, which the test checks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

DASHBOARD = """\
local dashboard = import 'metta-dash/dashboard.libsonnet';
local gen = import 'metta-dash/gen/main.libsonnet';
local layout = import 'metta-dash/layout.libsonnet';
local w = import 'metta-dash/widgets.libsonnet';
local team = import 'team.libsonnet';
local theme = import 'theme.libsonnet';

local queries = { open: 'avg:github.prs.open{*}' };

dashboard.new('Team ' + theme.name)
+ dashboard.withWidgets(layout.stack([
  layout.row([
    team.about,
    w.queryValue.new('Open PRs', [w.query.metric('open', queries.open)]),
    gen.widgets.freeText.new('metta-dash') + gen.widgets.freeText.withColor(theme.color),
  ], [4, 4, 4], 2),
]))
"""


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv, outside the repository, with the wheel built from this checkout installed."""
    root = tmp_path_factory.mktemp("wheel")
    assert not root.resolve().is_relative_to(REPO)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(root / "dist"),
         str(REPO)], root, env)
    wheel = next((root / "dist").glob("metta_dash-*.whl"))
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], root, env)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
         str(wheel)], root, env)
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    root, env).stdout.strip())
    (site / "_metta_dash_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_the_wheel_carries_the_library_but_not_the_project_components(tmp_path):
    names = set()
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(dist), str(REPO)], check=True, capture_output=True, timeout=300)
    for wheel in dist.glob("metta_dash-*.whl"):
        names |= set(zipfile.ZipFile(wheel).namelist())
    library = {n.removeprefix("metta_dash/jsonnet/metta-dash/") for n in names if "/jsonnet/metta-dash/" in n}
    assert {"widgets.libsonnet", "more_widgets.libsonnet", "layout.libsonnet", "util.libsonnet",
            "gen/main.libsonnet", "gen/core.libsonnet", "gen/image_widget_definition.libsonnet"} <= library
    assert not {"health.libsonnet", "fom.libsonnet", "widgets_test.jsonnet"} & library
    # The schema, and its fast variant beside it (else each check would make the variant at start-up).
    assert {"metta_dash/data/dashboard.schema.json", "metta_dash/data/dashboard.schema.fast.json"} <= names


def test_another_project_builds_a_dashboard_with_the_installed_library(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    location = run([str(installed / "bin" / "python"), "-c", "import metta_dash; print(metta_dash.__file__)"],
                   tmp_path, env).stdout.strip()
    assert Path(location).is_relative_to(installed), f"metta_dash came from {location}, not the installed wheel"

    project = tmp_path / "team-dashboards"
    (project / "dashboards").mkdir(parents=True)
    (project / "components").mkdir()
    (project / "shared").mkdir()
    (project / "pyproject.toml").write_text('[tool.metta-dash]\ncomponents = ["components", "shared"]\n')
    (project / "dashboards" / "team.jsonnet").write_text(DASHBOARD)
    (project / "components" / "team.libsonnet").write_text(
        "local w = import 'metta-dash/widgets.libsonnet';\n{ about: w.note.new('## About\\nOur team.') }\n"
    )
    # Folders are searched in order: components/theme.libsonnet wins over shared/theme.libsonnet.
    (project / "components" / "theme.libsonnet").write_text(
        "local colors = import 'colors.libsonnet';\n{ name: 'Platform', color: colors.green }\n"
    )
    (project / "shared" / "theme.libsonnet").write_text("{ name: 'Shadowed', color: 'red' }\n")
    (project / "shared" / "colors.libsonnet").write_text("{ green: '#28A745' }\n")
    run([str(installed / "bin" / "metta-dash"), "build"], project, env)
    built = json.loads((project / "build" / "dashboards" / "team.json").read_text())
    assert built["title"] == "Team Platform"
    types = [widget["definition"]["type"] for widget in built["widgets"]]
    assert types == ["note", "query_value", "free_text"]
    assert built["widgets"][2]["definition"]["color"] == "#28A745"


def test_a_missing_library_file_is_a_clear_compile_error(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    project = tmp_path / "p"
    (project / "dashboards").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[tool.metta-dash]\n")
    (project / "dashboards" / "x.jsonnet").write_text("local w = import 'metta-dash/widgetz.libsonnet'; w\n")
    done = subprocess.run([str(installed / "bin" / "metta-dash"), "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "widgetz.libsonnet" in done.stdout + done.stderr
