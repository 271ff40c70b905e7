"""A one-screen overview of a scenario, for ``ttx overview`` and ``make run``."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from .conditions import describe
from .loader import LoadedScenario
from .reference import MEMBER_STATES
from .units import format_duration


def render_overview(loaded: LoadedScenario) -> Group:
    s = loaded.scenario
    m = s.metadata
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("scenario", f"{m.title} ({m.id})")
    head.add_row("starts", f"{m.start:%a %d %b %Y %H:%M} UTC, runs {format_duration(m.duration)}")
    head.add_row("presidency", f"{MEMBER_STATES[m.presidency]} ({m.presidency})")
    head.add_row("profile", f"{m.profile}, TLP:{m.tlp.upper()}")
    actor = s.campaign.threat_actor
    head.add_row("threat actor", f"{actor.name}, state link: {actor.state_link}")
    head.add_row("file", f"{loaded.path} (sha256 {loaded.sha256[:12]})")

    objectives = Table(
        "id", "level", "objective", title="Objectives", title_justify="left", expand=True
    )
    for o in s.objectives:
        objectives.add_row(o.id, o.level, " ".join(o.text.split()))

    waves = Table(
        "wave", "starts", "vector", "targets", title="Campaign", title_justify="left", expand=True
    )
    for w in s.campaign.waves:
        start = format_duration(w.at) if w.at is not None else f"when {describe(w.when)}"
        waves.add_row(
            w.id,
            start,
            w.vector,
            f"{', '.join(w.targets.member_states)} / {', '.join(w.targets.sectors)}",
        )

    counts = Text.assemble(
        ("MSEL: ", "bold"),
        f"{len(s.msel.moves)} moves, {len(s.msel.injects)} injects, "
        f"{len(s.msel.contingency_injects)} contingency injects; ",
        ("decisions: ", "bold"),
        f"{len(s.decision_points)}; ",
        ("roles: ", "bold"),
        f"{', '.join(r.name for r in s.roles) or 'none (all by policy)'}; ",
        ("Toolbox: ", "bold"),
        f"{len(s.toolbox.catalogue())} measures; ",
        ("external events: ", "bold"),
        f"{len(s.external_events)}",
    )
    return Group(head, Text(), objectives, waves, counts)
