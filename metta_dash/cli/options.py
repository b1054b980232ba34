"""Options shared by several commands."""

from __future__ import annotations

import dataclasses
import os
import sys

import click

from metta_dash import compile as jsonnet
from metta_dash import engines
from metta_dash import settings as project_settings
from metta_dash.report import FORMATS


def _pairs(values: tuple[str, ...], flag: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint=flag)
        pairs[key] = rest
    return pairs


def jsonnet_options(func):
    """--ext-str/--ext-code/--tla-str/--tla-code and --engine, passed through to the Jsonnet compiler."""
    func = click.option(
        "--engine", type=click.Choice(tuple(engines.ENGINES)), default=None,
        help="Jsonnet engine (default: [tool.metta-dash] engine, else the fastest installed: "
        f"{', '.join(engines.PREFERENCE)}).",
    )(func)
    for flag, help_text in (
        ("--tla-code", "Top-level argument as Jsonnet code, KEY=CODE (repeatable)."),
        ("--tla-str", "Top-level argument as a string, KEY=VALUE (repeatable)."),
        ("--ext-code", "External variable as Jsonnet code, KEY=CODE (repeatable)."),
        ("--ext-str", "External variable as a string, KEY=VALUE (repeatable), e.g. --ext-str env=prod."),
    ):
        func = click.option(flag, multiple=True, metavar="KEY=VALUE", help=help_text)(func)
    return func


def format_option(func):
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
        help="Report format: text, one versioned JSON document (summary, dashboards, findings), or GitHub "
        "workflow annotations.",
    )(func)


def strict_option(func):
    return click.option(
        "--strict", is_flag=True,
        help="Report what Datadog's published API spec lacks (unknown widget types, properties, values and "
        "shapes that may be newer Datadog features: S002, S003) as errors, not warnings. "
        "The setting `strict = true` does the same.",
    )(func)


def load_project(ext_str=(), ext_code=(), tla_str=(), tla_code=(), engine=None, settings=None, strict=False):
    """The project settings (loaded unless given) and compile options from the command line.

    The options carry the registry's IDs as read now: a push reads them while holding the registry lock.
    """
    settings = settings or project_settings.load()
    if strict:
        settings = dataclasses.replace(settings, strict=True)
    options = jsonnet.options_for(
        settings,
        engine=engine or settings.engine,
        ext_vars=_pairs(ext_str, "--ext-str"),
        ext_codes=_pairs(ext_code, "--ext-code"),
        tla_vars=_pairs(tla_str, "--tla-str"),
        tla_codes=_pairs(tla_code, "--tla-code"),
    )
    return settings, options


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ
