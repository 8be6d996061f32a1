"""Subcommands imported only when they run, so `monitio --help`, `--version` and quick commands start fast.

The help screen lists a lazy command by its name and short help without importing its module; running
it (or its `--help`) imports the module and builds the real command.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import ClassVar

import typer
from typer.core import TyperGroup


@dataclass(frozen=True)
class Lazy:
    """`module:attr` is a command function (`group=False`) or a `typer.Typer` group (`group=True`)."""

    module: str
    attr: str
    short_help: str
    group: bool = False

    def load(self, name: str):
        target = getattr(importlib.import_module(self.module), self.attr)
        if self.group:
            target._add_completion = False  # completion options belong to the root command only
            command = typer.main.get_group(target)
            command.name = name
            return command
        holder = typer.Typer(add_completion=False, rich_markup_mode=None)
        holder.command(name=name)(target)
        return typer.main.get_command(holder)


class LazyGroup(TyperGroup):
    """A Typer group whose `lazy` commands load on first use (see the module docstring).

    It also answers `monitio --version` while parsing: a Typer option would validate its value with
    pydantic, whose import would cost every `monitio COMMAND --help` a quarter of a second.
    """

    lazy: ClassVar[dict[str, Lazy]] = {}
    _listing = False

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if args[:1] == ["--version"]:
            from monitio import __version__

            typer.echo(f"monitio {__version__}")
            ctx.exit()
        return super().parse_args(ctx, args)

    def list_commands(self, ctx) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in self.lazy if n not in self.commands)]

    def get_command(self, ctx, cmd_name: str):
        spec = self.lazy.get(cmd_name)
        if spec is not None and cmd_name not in self.commands:
            if self._listing:  # the help screen needs only the name and the short help
                return typer.core.TyperCommand(name=cmd_name, short_help=spec.short_help, help=spec.short_help)
            self.commands[cmd_name] = spec.load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx, formatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
