"""Conventions every ``econsec`` command follows, set up in one place.

* ``--json`` may be given before the command (``econsec --json sources``) or after it
  (``econsec sources --json``): :class:`EconsecGroup` adds the same flag to every command, where
  it switches the shared context to JSON output.
* A list option is comma-separated, repeatable, or both: ``--focus KOR,JPN`` and
  ``--focus KOR --focus JPN`` give the same list. Declare it ``list[str] | None`` with
  ``callback=split`` (:func:`econsec.services.args.split` is the one parser; country lists are
  then read with :func:`econsec.services.args.countries`).
* A flag takes no value, so help shows no ``<bool>`` after it (Typer's rich help prints one
  for every flag, ``--help`` included).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer
import typer.core
import typer.main

from econsec.services import args

__all__ = ["JSON_HELP", "EconsecGroup", "split"]

JSON_HELP = "Machine-readable JSON output (before or after the command)."


def split(values: list[str] | None) -> list[str] | None:
    """Typer callback for list options: ``["KOR,JPN", "CHN"]`` → ``["KOR", "JPN", "CHN"]``
    (repeats kept: a command that needs distinct values says so)."""
    return None if values is None else args.split(values)


def _json_after(ctx: typer.Context, value: bool) -> None:
    if value and ctx.obj is not None:
        ctx.obj = replace(ctx.obj, json=True)


def _json_option() -> Any:
    """The ``--json`` option of a command, built by Typer itself (not exposed to the function)."""
    probe = typer.Typer(add_completion=False)

    @probe.command()
    def _probe(json_: Annotated[bool, typer.Option("--json", help=JSON_HELP, expose_value=False,
                                                   callback=_json_after)] = False) -> None:
        """Never run: Typer builds the option from this signature."""

    return next(p for p in typer.main.get_command(probe).params if "--json" in p.opts)


def _leaves(command: Any) -> list[Any]:
    subs = getattr(command, "commands", None)
    if subs is None:
        return [command]
    return [leaf for c in subs.values() for leaf in _leaves(c)]


class EconsecGroup(typer.core.TyperGroup):
    """The root ``econsec`` group: gives every command a ``--json`` flag of its own."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        opt = _json_option()
        for cmd in _leaves(self):
            if not any("--json" in p.opts for p in cmd.params):
                cmd.params.append(opt)


_display_type = typer.core.TyperOption.display_type_rich


def _no_type_for_flags(self: typer.core.TyperOption, ctx: Any) -> str | None:
    return None if self.is_flag else _display_type(self, ctx)


typer.core.TyperOption.display_type_rich = _no_type_for_flags  # type: ignore[method-assign]
