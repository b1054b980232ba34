"""build, validate, rules: compile and check dashboards."""

from __future__ import annotations

import os
from pathlib import Path

import click

from metta_dash import build as builder
from metta_dash import noop_build, output, report
from metta_dash import settings as project_settings
from metta_dash.cli.options import format_option, jsonnet_options, load_project, strict_option, use_colour
from metta_dash.findings import display_path, has_errors
from metta_dash.validate import all_findings, check_sources, collect_sources

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
NO_CACHE = click.option(
    "--no-cache", is_flag=True,
    help="Compile and check every source again instead of reusing results whose inputs are unchanged "
    "(the cache is .cache/metta-dash; deleting it is always safe).",
)


def _cache(settings, options, no_cache: bool):
    return None if no_cache else builder.project_cache(settings, options)


def _report(results, fmt: str) -> int:
    click.echo(_render(results, fmt, colour=use_colour()))
    return 1 if has_errors(all_findings(results)) else 0


def _render(results, fmt: str, colour: bool) -> str:
    findings = all_findings(results)
    files = len({checked.source for checked in results})
    if fmt == "json":
        command = click.get_current_context().info_name
        return output.dumps(output.document(command, _dashboards(results), findings, {"files": files}))
    return report.render(findings, fmt, files, colour=colour and fmt == "text")


def _dashboards(results) -> list[dict]:
    rows = []
    for checked in results:
        counts = output.findings_summary(checked.findings)
        rows.append({"name": checked.name, "file": display_path(checked.source), **counts})
    return rows


@click.command()
@PATHS
@strict_option
@click.option("--force", is_flag=True,
              help="Overwrite existing files in an output folder that is not under the project's build/.")
@NO_CACHE
@jsonnet_options
@format_option
def build(paths, force, no_cache, fmt, **jsonnet_args) -> int:
    """Compile dashboards to JSON and validate them.

    PATHS are .jsonnet files or folders (default: every dashboard of the project). Each compiled
    dashboard is written to the output folder (build/dashboards/<name>.json). Exits 1 on any error.
    A source whose inputs (its text, every file it imports, the engine, ext/tla values) are unchanged since
    the last build is neither compiled nor checked again; when nothing at all changed, the same command prints
    the last build's report again without loading the compiler.
    """
    cwd = os.getcwd()
    settings, settings_files = project_settings.load_with_files(Path(cwd))
    installation = None if no_cache or paths else noop_build.installation()
    settings, options = load_project(settings=settings, **jsonnet_args)
    cache = _cache(settings, options, no_cache)
    results = builder.build(settings, options, paths, force, cache)
    code = _report(results, fmt)
    record = None
    if installation is not None:
        record = builder.replay_record(settings, options, results, cache, settings_files, force)
    argv = click.get_current_context().obj["argv"]
    if record is None:
        noop_build.forget(str(settings.root), argv, cwd)
    else:
        noop_build.write(str(settings.root), {
            **record, "argv": argv, "cwd": cwd, "exit_code": code,
            "printed": {"plain": _render(results, fmt, False), "colour": _render(results, fmt, True)},
            "installation": installation,
        })
    return code


@click.command()
@PATHS
@click.option(
    "--changed", is_flag=True,
    help="Treat PATHS as changed files and validate the dashboards they affect "
    "(a changed .libsonnet re-validates every dashboard importing it). Used by the pre-commit hook.",
)
@strict_option
@NO_CACHE
@jsonnet_options
@format_option
def validate(paths, changed, no_cache, fmt, **jsonnet_args) -> int:
    """Validate dashboards without writing anything.

    PATHS may be .jsonnet sources, compiled or exported .json dashboards, and folders
    (default: every dashboard of the project).
    """
    settings, options = load_project(**jsonnet_args)
    if changed:
        sources = builder.sources_affected_by(paths, settings)
    else:
        sources = collect_sources(paths, skip=[settings.registry]) if paths else builder.project_sources(settings)
    cache = _cache(settings, options, no_cache)
    return _report(check_sources(sources, settings, options, cache, keep_dashboards=False), fmt)


@click.command(name="rules")
def list_rules() -> int:
    """List every schema finding and semantic rule with its id, slug, default severity and description."""
    from metta_dash import rules, schema
    for rule in schema.SCHEMA_RULES:
        click.echo(f"{rule.id}  {rule.slug:<34} {rule.severity:<8} {rule.description}")
    for rule in rules.all_rules():
        click.echo(f"{rule.id}  {rule.slug:<34} {rule.severity!s:<8} {rule.description}")
    return 0


COMMANDS = (build, validate, list_rules)
