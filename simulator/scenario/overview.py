"""A one-screen overview of a scenario, for ``ttx overview`` and ``make run``.

Every value from the scenario goes into the tables as ``Text``, never as a string that Rich
would read as markup: a title such as ``[/x]`` or ``[link=...]`` is shown as it is written.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..text import visible
from .conditions import describe
from .countries import THIRD_COUNTRIES
from .loader import LoadedScenario
from .regime import law_of
from .units import format_duration


def render_overview(loaded: LoadedScenario) -> Group:
    s = loaded.scenario
    m = s.metadata
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    actor = s.campaign.primary_actor
    for name, value in (
        ("scenario", f"{m.title} ({m.id})"),
        ("starts", f"{m.start:%a %d %b %Y %H:%M} UTC, runs {format_duration(m.duration)}"),
        ("law in force", law_of(s).words(m.duration)),
        ("presidency", m.presidency_text()),
        ("profile", f"{m.profile}, TLP:{m.tlp.upper()}"),
        ("threat actor", f"{actor.name}, state link: {actor.state_link}" if actor is not None
         else "none: an incident no one caused"),
        ("file", f"{loaded.path} (sha256 {loaded.sha256[:12]})"),
    ):
        head.add_row(name, _text(value))

    objectives = Table(
        "id", "level", "objective", title="Objectives", title_justify="left", expand=True
    )
    for o in s.objectives:
        objectives.add_row(_text(o.id), o.level, _text(" ".join(o.text.split())))

    waves = Table(
        "wave", "starts", "vector", "targets", title="Campaign", title_justify="left", expand=True
    )
    for w in s.campaign.waves:
        start = format_duration(w.at) if w.at is not None else f"when {describe(w.when)}"
        waves.add_row(
            _text(w.id),
            _text(start),
            w.vector,
            _targets(s, w),
        )

    counts = Text.assemble(
        ("MSEL: ", "bold"),
        f"{len(s.msel.moves)} moves, {len(s.msel.injects)} injects, "
        f"{len(s.msel.contingency_injects)} contingency injects; ",
        ("decisions: ", "bold"),
        f"{len(s.decision_points)}; ",
        ("roles: ", "bold"),
        _text(f"{', '.join(r.name for r in s.roles) or 'none (all by policy)'}; "),
        ("Toolbox: ", "bold"),
        f"{len(s.toolbox.catalogue())} measures; ",
        ("external events: ", "bold"),
        f"{len(s.external_events)}",
    )
    return Group(head, Text(), objectives, waves, counts)


def _text(value: str) -> Text:
    """Scenario text refuses terminal controls at validation; the file's own name (which
    the user typed) is shown with them as escapes all the same."""
    return Text(visible(value))


def _targets(s: Any, w: Any) -> str:
    """Where a wave strikes: its Member States (with per-country counts), the Union entities,
    its sectors, and who is behind it when that is not the campaign's actor."""
    counts = w.impact.entities
    places = [f"{ms} ({counts[ms]})" if ms in counts else ms for ms in w.targets.member_states]
    if w.targets.eu_institutions:
        places.append(f"{w.targets.eu_institutions} Union entities")
    text = f"{', '.join(places)} / {', '.join(w.targets.sectors)}"
    if w.targets.third_countries:  # where it starts, outside the Union, before it spills over
        origin = ", ".join(f"{THIRD_COUNTRIES[c]} ({c})" for c in w.targets.third_countries)
        into = ", ".join(places) or "Member States by spread"
        text = f"from {origin} into {into} / {', '.join(w.targets.sectors)}"
    actor = s.campaign.actor_of(w)
    if actor is not s.campaign.threat_actor:
        text += f"; by {actor.name}" if actor is not None else "; no one caused it"
    return text
