"""The `metta-dash` command: a thin layer over the library. The only package that imports click.

Exit codes: 0 clean (warnings allowed), 1 problems found, 2 usage, 3 unexpected (traceback with --verbose).
"""

from __future__ import annotations

import sys
import traceback

import click

from metta_dash import __version__
from metta_dash.cli import check_commands, metric_commands, preview_commands, schema_commands, sync_commands
from metta_dash.errors import MettaDashError
from metta_dash.secrets import redact

EXIT_UNEXPECTED = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="metta-dash")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for unexpected failures.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Datadog dashboards as code: compile Jsonnet, validate offline, push idempotently."""
    ctx.obj = {"verbose": verbose}


for command in (*check_commands.COMMANDS, *preview_commands.COMMANDS, *sync_commands.COMMANDS,
                *metric_commands.COMMANDS, schema_commands.schema):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    verbose = "-v" in (argv or sys.argv[1:]) or "--verbose" in (argv or sys.argv[1:])
    try:
        return cli.main(args=argv, prog_name="metta-dash", standalone_mode=False) or 0
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as error:
        error.message = redact(error.message)
        error.show()
        return 2
    except MettaDashError as error:
        click.secho(redact(f"error: {error}"), err=True, fg="red")
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: no traceback unless asked
        if verbose:
            click.echo(redact(traceback.format_exc()), err=True, nl=False)
        click.secho(redact(f"unexpected error: {type(error).__name__}: {error}"), err=True, fg="red")
        if not verbose:
            click.echo("run again with --verbose for the traceback", err=True)
        return EXIT_UNEXPECTED


def entry_point() -> None:
    sys.exit(main())
