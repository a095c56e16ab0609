"""The ``actlab`` command line: thin commands over the library.

Heavy imports (torch, matplotlib) happen inside the commands so that
``actlab --help`` starts fast.  Every error a user can cause -- a
:class:`~actlab.errors.UserError` (unknown names included), a click usage error,
an OSError on a path the user named -- ends in one line on stderr and exit code
2.  Anything else is a bug: it keeps its traceback (and exits 1).
"""

from __future__ import annotations

import sys

import click

from actlab.cli import (
    bench_commands,
    catalogue_commands,
    lab_commands,
    report_command,
    serve_command,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="actlab")
def app() -> None:
    """actlab — the activation-function laboratory: catalogue, lab and report."""


catalogue_commands.register(app)
lab_commands.register(app)
report_command.register(app)
bench_commands.register(app)
serve_command.register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors become one line on stderr and exit code 2."""
    from actlab.errors import UserError

    try:
        # without standalone mode click returns ctx.exit()'s code instead of exiting
        returned = app.main(args=argv, prog_name="actlab", standalone_mode=False)
    except click.UsageError as err:  # a mistyped option or value: one line, with the help
        where = f" (see '{err.ctx.command_path} --help')" if err.ctx is not None else ""
        print(f"actlab: error: {err.format_message()}{where}", file=sys.stderr)
        return err.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.Abort:
        print("actlab: aborted", file=sys.stderr)
        return 130
    except UserError as err:  # ActivationNotFound and the other unknown names too
        print(f"actlab: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if not err.filename:  # not about a path: a bug, with its traceback
            raise
        # a file or directory the user named: missing, unwritable, ...
        message = f"{err.filename}: {err.strerror}" if err.strerror else str(err)
        print(f"actlab: error: {message}", file=sys.stderr)
        return 2
    return returned if isinstance(returned, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
