"""The one adapter from exceptions to what a user sees: ``Error: what — what to do``.

Typer bundles its own Click, so its exit and usage exceptions pass through untouched; lamdata's
own errors become one line on stderr with their exit code; anything else is a bug, reported in
one line too unless ``--debug`` asks for the traceback.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from lamdata.errors import LamdataError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _passthrough() -> tuple[type[BaseException], ...]:
    from typer._click import exceptions as click_exc

    return (typer.Exit, typer.Abort, click_exc.ClickException)


def _one_line(text: str) -> str:
    """Messages from third-party errors may span lines; what a user sees is always one."""
    return " ".join(text.split())


class LamdataGroup(TyperGroup):
    """The root command group: translates errors raised by any subcommand."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _passthrough():
            raise
        except LamdataError as exc:
            if ctx.meta.get("lamdata.debug"):
                raise
            err_console.print(_one_line(f"Error: {exc.message} — {exc.hint}"), markup=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console.print("Interrupted — run the same command again to resume.")
            raise typer.Exit(130) from None
        except Exception as exc:
            if ctx.meta.get("lamdata.debug"):
                raise
            name = type(exc).__name__
            err_console.print(
                _one_line(
                    f"Error: unexpected {name}: {exc} — "
                    "this is a bug; rerun with --debug and report it"
                ),
                markup=False,
            )
            raise typer.Exit(1) from None
