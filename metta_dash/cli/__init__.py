"""The `metta-dash` command: a thin layer over the library. The only package that imports click.

Exit codes: 0 clean (warnings allowed), 1 problems found, 2 usage, 3 unexpected (traceback with --verbose).
"""

from __future__ import annotations

import importlib
import sys
import traceback

import click

from metta_dash import __version__
from metta_dash.errors import MettaDashError
from metta_dash.secrets import redact

EXIT_UNEXPECTED = 3

# Command name -> "module:attribute". A command's module is imported only when that command runs (or help
# lists it), so `validate` and `build` never load the HTTP client, the diff library or the schema generator.
LAZY_COMMANDS = {
    "build": "metta_dash.cli.check_commands:build",
    "validate": "metta_dash.cli.check_commands:validate",
    "rules": "metta_dash.cli.check_commands:list_rules",
    "push": "metta_dash.cli.sync_commands:push",
    "diff": "metta_dash.cli.sync_commands:diff_command",
    "pull": "metta_dash.cli.sync_commands:pull",
    "export": "metta_dash.cli.sync_commands:export",
    "list": "metta_dash.cli.sync_commands:list_command",
    "delete": "metta_dash.cli.sync_commands:delete",
    "schema": "metta_dash.cli.schema_commands:schema",
    "preview": "metta_dash.cli.preview_commands:preview",
    "watch": "metta_dash.cli.preview_commands:watch",
    "metrics": "metta_dash.cli.metric_commands:metrics_command",
    "import": "metta_dash.cli.import_commands:import_command",
}


class LazyGroup(click.Group):
    """A group whose commands in LAZY_COMMANDS are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, name)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="metta-dash")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for unexpected failures.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Datadog dashboards as code: compile Jsonnet, validate offline, push idempotently."""
    ctx.ensure_object(dict)["verbose"] = verbose


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    verbose = "-v" in argv or "--verbose" in argv
    try:
        # The command line is kept: a build records it for replaying a no-op rerun (see noop_build).
        return cli.main(args=argv, prog_name="metta-dash", standalone_mode=False, obj={"argv": argv}) or 0
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
