"""`components` may name several folders; the shipped library comes after them on the import path."""

from __future__ import annotations

import pytest

from metta_dash import compile as jsonnet
from metta_dash import settings as project_settings
from metta_dash.errors import ConfigError


def test_one_folder_or_several_in_search_order_then_the_library(tmp_path):
    one = project_settings.from_table({}, tmp_path)
    assert one.component_folders == (tmp_path / "components",) and one.components == tmp_path / "components"
    several = project_settings.from_table({"components": ["lib", "vendor/jsonnet"]}, tmp_path)
    assert several.component_folders == (tmp_path / "lib", tmp_path / "vendor" / "jsonnet")
    assert several.components == tmp_path / "lib"
    paths = jsonnet.options_for(several).import_paths
    assert paths == (tmp_path / "lib", tmp_path / "vendor" / "jsonnet", jsonnet.LIBRARY_PATH)
    assert (jsonnet.LIBRARY_PATH / "metta-dash" / "widgets.libsonnet").is_file()


@pytest.mark.parametrize("value", [[], [""], 3, ["ok", 4]])
def test_a_wrong_components_setting_is_a_clear_error(tmp_path, value):
    with pytest.raises(ConfigError, match="components must be a folder or a non-empty list of folders"):
        project_settings.from_table({"components": value}, tmp_path)


def test_a_dashboard_of_this_project_may_import_the_library_by_its_shipped_name(tmp_path):
    source = tmp_path / "d.jsonnet"
    source.write_text(
        "local dashboard = import 'metta-dash/dashboard.libsonnet';\n"
        "local layout = import 'metta-dash/layout.libsonnet';\n"
        "local w = import 'metta-dash/widgets.libsonnet';\n"
        "dashboard.new('x') + dashboard.withWidgets(layout.stack([layout.full(w.note.new('hi'), 1)]))\n"
    )
    settings = project_settings.from_table({"dashboards": "."}, tmp_path)
    compiled = jsonnet.compile_file(source, jsonnet.options_for(settings))
    assert not compiled.findings, compiled.findings
    assert compiled.dashboards["d"]["widgets"][0]["definition"] == {"type": "note", "content": "hi"}
