"""schema generate: regenerate the committed widget schema from the pinned OpenAPI spec."""

from __future__ import annotations

import click


@click.group()
def schema() -> None:
    """The widget JSON Schema generated from Datadog's OpenAPI spec."""


@schema.command()
@click.option("--output", type=click.Path(), default=None,
              help="Where to write the schema (default: schemas/dashboard.schema.json).")
def generate(output) -> int:
    """Regenerate the schema from the OpenAPI spec of the pinned datadog-api-client (downloaded once, cached)."""
    from pathlib import Path

    from metta_dash.schema import generate as generator

    written = generator.regenerate(Path(output) if output else None)
    click.echo(f"wrote {written}")
    return 0
