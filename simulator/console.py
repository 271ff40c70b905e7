"""What every ``ttx`` command prints through, and how its command groups are set up: one
place, so that no command prints a file's text as markup or a terminal control.

Text from files (a scenario, a log, a file name in a folder) can carry Rich markup
(``[/x]``, ``[link=...]``), emoji codes and terminal controls (ESC sequences): lines go out
with controls shown as escapes, and tables get such text as ``Text``, never as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from .text import visible

if TYPE_CHECKING:
    from rich.text import Text

#: how every Typer command group of ``ttx`` is set up
TYPER_SETTINGS: dict[str, Any] = {
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": "rich",
    "context_settings": {"help_option_names": ["-h", "--help"]},
}


def err(text: str) -> None:
    """A line on standard error; file names and values in it show terminal controls as
    escapes (a folder may hold a file named with ESC sequences)."""
    typer.echo(visible(text), err=True)


def echo(text: str) -> None:
    """A line on standard output, as ``err``."""
    typer.echo(visible(text))


def console() -> Any:
    """The console for tables and summaries. Text from files goes in as ``plain`` text,
    never as markup: a title such as ``[/x]`` or ``[link=...]`` is shown as written (and
    ``:warning:`` stays words, not an emoji)."""
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def plain(value: object) -> Text:
    """A value from a file or a log as Rich text: no markup, no emoji codes, and terminal
    controls shown as escapes rather than obeyed."""
    from rich.text import Text

    return Text(visible(str(value)))
