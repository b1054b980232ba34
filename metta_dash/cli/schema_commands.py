"""schema generate: regenerate the widget schema, the Jsonnet core and its reference from the pinned spec."""

from __future__ import annotations

import click


@click.group()
def schema() -> None:
    """The widget JSON Schema generated from Datadog's OpenAPI spec."""


@schema.command()
@click.option("--output", type=click.Path(), default=None,
              help="Where to write the schema (default: schemas/dashboard.schema.json); its fast variant goes "
              "beside it (x.json: x.fast.json).")
def generate(output) -> int:
    """Regenerate from the OpenAPI spec of the pinned datadog-api-client (downloaded once, cached): the widget
    schema and its fast variant, the Jsonnet builders in components/gen/ and their reference in docs/api/."""
    from pathlib import Path

    from metta_dash.schema import regenerate

    for written in regenerate.regenerate(Path(output) if output else None):
        click.echo(f"wrote {written}")
    return 0
