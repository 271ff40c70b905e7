"""The regions of the console, each a widget fed ``tui.frames.Frame`` objects."""

from __future__ import annotations

from rich.text import Text

from simulator.text import visible


def cell(value: object, style: str = "") -> Text:
    """Text from a scenario, a log or a person, for a table cell, a list or a label: one
    line, controls shown as escapes, and never read as markup (a string given to a Textual
    table or list would be: ``[/x]`` in a title must show as itself)."""
    return Text(visible(" ".join(str(value).split())), style=style)
