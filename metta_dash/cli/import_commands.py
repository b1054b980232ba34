"""import: an existing dashboard (an exported JSON file, or a live one by ID) as Jsonnet on the library."""

from __future__ import annotations

from pathlib import Path

import click

from metta_dash import importer
from metta_dash import settings as project_settings
from metta_dash.cli.sync_commands import _client, api_url_option
from metta_dash.files import check_overwrite, write_atomic


@click.command(name="import")
@click.argument("source", metavar="FILE.json|ID")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The .jsonnet file to write (default: standard output).")
@click.option("--force", is_flag=True, help="Overwrite an existing file outside build/.")
@api_url_option
def import_command(source, output, force, api_url, timeout) -> int:
    """Write a dashboard as idiomatic Jsonnet on the metta-dash library.

    FILE.json is an exported dashboard; ID is fetched from Datadog (keys from DD_API_KEY and DD_APP_KEY).
    The output uses the generated builders and their setters, a `queries` map, the layout helpers wherever
    the positions are theirs (explicit positions elsewhere) and text blocks for long text; compiled, it gives
    back the dashboard (equal after normalisation).
    """
    settings = project_settings.load()
    if output is not None:
        check_overwrite(output, settings.root, force, settings.registry)

    def fetch(dashboard_id: str):
        with _client(api_url, timeout, settings) as client:
            return client.get(dashboard_id)

    dashboard, origin = importer.read_source(source, fetch)
    imported = importer.to_jsonnet(dashboard, origin)
    share = 100 * imported.builders / max(1, imported.builders + imported.raw)
    if output is None:
        click.echo(imported.text, nl=False)
    else:
        write_atomic(output, imported.text)
        click.echo(f"wrote {output}: {imported.builders} objects through builders, {imported.raw} plain "
                   f"({share:.1f} % builders)", err=True)
    return 0


COMMANDS = (import_command,)
