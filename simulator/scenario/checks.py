"""Checks that need the whole scenario: unique ids, cross-references, times within the exercise.

Each problem is reported at the path of the value that is wrong (an inject's objective, a
wave's target), so the loader can point at its line and column. Every problem is reported,
not only the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from ..kinds import OPTIONAL_FIELDS, PAYLOAD_FIELDS
from .conditions import After, DecisionTaken, EventMatch, InjectDelivered, MeasureStatus
from .effects import CsirtsNetworkAlert, DeliverInject, ProposeListing, ProposeMeasure
from .models import (
    CsirtsNetworkParams,
    DecisionPoint,
    ExpectedAction,
    ExternalEvent,
    FimiTrack,
    Inject,
    InjectExpectations,
    PlayerRole,
    Scenario,
    Wave,
)
from .reference import EU_BODIES, MEMBER_STATES, NATIONAL_BODIES, OTHER_PARTICIPANTS
from .suggest import did_you_mean
from .units import format_duration
from .yamlread import Path, render_path

Issue = tuple[Path, str]


def walk(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every model inside ``value`` with its path, as the YAML spells it (aliases, indexes)."""
    if isinstance(value, BaseModel):
        yield path, value
        for name, info in type(value).model_fields.items():
            yield from walk(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*path, key))


def _unique(items: Iterable[Any], prefix: Path, what: str, seen: dict[str, Path]) -> list[Issue]:
    issues = []
    for index, item in enumerate(items):
        path = (*prefix, index, "id")
        if item.id in seen:
            issues.append(
                (
                    path,
                    f"duplicate {what} id {item.id!r}; it is already used at "
                    f"{render_path(seen[item.id])}",
                )
            )
        else:
            seen[item.id] = path
    return issues


class _Checker:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.issues: list[Issue] = []
        self.objectives = {o.id for o in scenario.objectives}
        self.injects = {i.id for i in scenario.all_injects()}
        self.moves = {m.id for m in scenario.msel.moves}
        self.measures = scenario.toolbox.catalogue()
        self.decisions = {d.id: {o.id for o in d.options} for d in scenario.decision_points}
        self.partners = {p.id for p in scenario.world.partners}
        self.roles = {r.id for r in scenario.roles}
        self.alert_modes = scenario.machinery.csirts_network.alert_modes
        self.duration = scenario.metadata.duration
        waves = {w.id for w in scenario.campaign.waves}
        external = {e.id for e in scenario.external_events}
        # what the events of each namespace can be about (EventMatch.subject)
        self.subjects: dict[str, tuple[str, set[str]]] = {
            "adversary": ("wave", waves),
            "entity": ("wave", waves),
            "partner": ("external event", external),
            "external": ("external event", external),
            "measure": ("measure", set(self.measures)),
            "hwpci": ("measure", set(self.measures)),
            "psc": ("measure", set(self.measures)),
            "coreper": ("measure", set(self.measures)),
            "council": ("measure", set(self.measures)),
            "inject": ("inject", self.injects),
            "decision": ("decision point", set(self.decisions)),
        }

    def add(self, path: Path, message: str) -> None:
        self.issues.append((path, message))

    def ref(self, path: Path, value: str, known: Iterable[str], what: str) -> None:
        known = list(known)
        if value not in known:
            hint = did_you_mean(value, known) or (
                f"; known: {', '.join(sorted(known))}" if 0 < len(known) <= 12 else ""
            )
            if not known:
                hint = f"; the scenario defines no {what}s"
            self.add(path, f"unknown {what} {value!r}{hint}")

    def participant(self, path: Path, value: str, roles: bool = True) -> None:
        if value in EU_BODIES or value in OTHER_PARTICIPANTS or (roles and value in self.roles):
            return
        head, _, tail = value.partition(".")
        if head == "partner":
            self.ref(path, tail, self.partners, "partner")
            return
        if head in MEMBER_STATES and tail in NATIONAL_BODIES:
            return
        if head in MEMBER_STATES:
            self.add(
                path,
                f"unknown national body {tail!r} in {value!r}"
                f"{did_you_mean(tail, NATIONAL_BODIES)}; one of: "
                f"{', '.join(NATIONAL_BODIES)}",
            )
            return
        choices = [*EU_BODIES, *OTHER_PARTICIPANTS, *(self.roles if roles else ())]
        self.add(
            path,
            f"unknown participant {value!r}{did_you_mean(value, choices)}: use a "
            "body (cyclone, csirts_network, ipcr, ...), a national body such as "
            "'DE.csirt', a partner such as 'partner.US'"
            + (", or a role id from roles" if roles else ""),
        )

    def within_exercise(self, path: Path, minutes: float | None) -> None:
        if minutes is not None and minutes > self.duration:
            self.add(
                path,
                f"{format_duration(minutes)} is after the end of the "
                f"exercise (duration {format_duration(self.duration)})",
            )

    def run(self) -> list[Issue]:
        s = self.s
        self.issues += _unique(s.objectives, ("objectives",), "objective", {})
        self.issues += _unique(s.campaign.waves, ("campaign", "waves"), "wave", {})
        self.issues += _unique(s.external_events, ("external_events",), "external event", {})
        self.issues += _unique(s.toolbox.measures, ("toolbox", "measures"), "measure", {})
        self.issues += _unique(s.roles, ("roles",), "role", {})
        self.issues += _unique(s.world.partners, ("world", "partners"), "partner", {})
        self.issues += _unique(s.msel.moves, ("msel", "moves"), "move", {})
        inject_ids: dict[str, Path] = {}
        self.issues += _unique(s.msel.injects, ("msel", "injects"), "inject", inject_ids)
        self.issues += _unique(
            s.msel.contingency_injects, ("msel", "contingency_injects"), "inject", inject_ids
        )
        self.issues += _unique(s.decision_points, ("decision_points",), "decision point", {})
        for i, point in enumerate(s.decision_points):
            self.issues += _unique(point.options, ("decision_points", i, "options"), "option", {})
        if s.campaign.fimi:
            self.issues += _unique(
                s.campaign.fimi.narratives, ("campaign", "fimi", "narratives"), "narrative", {}
            )
        scored: dict[str, int] = {}
        for i, rule in enumerate(s.scoring):
            self.ref(("scoring", i, "objective"), rule.objective, self.objectives, "objective")
            if rule.objective in scored:
                self.add(
                    ("scoring", i, "objective"),
                    f"objective {rule.objective!r} is already scored by scoring"
                    f"[{scored[rule.objective]}]; put all its metrics in one rule",
                )
            scored.setdefault(rule.objective, i)
        for j, role in enumerate(s.roles):
            if role.id in EU_BODIES or role.id in OTHER_PARTICIPANTS:
                self.add(
                    ("roles", j, "id"),
                    f"role id {role.id!r} is the name of a body; give the role its own id",
                )
        for j, move in enumerate(s.msel.moves):
            self.within_exercise(("msel", "moves", j, "start"), move.start)
            if j and move.start < s.msel.moves[j - 1].start:
                self.add(
                    ("msel", "moves", j, "start"), "moves must be listed in the order they start"
                )
        for path, node in walk(s):
            self.node(path, node)
        return self.issues

    def node(self, path: Path, node: BaseModel) -> None:
        if isinstance(node, Inject):
            for k, objective in enumerate(node.objectives):
                self.ref((*path, "objectives", k), objective, self.objectives, "objective")
            if node.move is not None:
                self.ref((*path, "move"), node.move, self.moves, "move")
            self.participant((*path, "from"), node.from_)
            for k, receiver in enumerate(node.to):
                self.participant((*path, "to", k), receiver)
            self.within_exercise((*path, "at"), node.at)
            if path[:2] == ("msel", "contingency_injects") and (node.at or node.when):
                self.add(
                    path,
                    "a contingency inject is played by the facilitator at any "
                    "time: remove 'at' and 'when'",
                )
            elif path[:2] == ("msel", "injects") and (node.at is None) == (node.when is None):
                self.add(
                    path,
                    "an inject needs exactly one of 'at' (a time) or 'when' (a "
                    "condition); for one played at will, use contingency_injects",
                )
        elif isinstance(node, ExpectedAction):
            if node.by is not None:
                self.participant((*path, "by"), node.by)
        elif isinstance(node, DecisionPoint):
            options = self.decisions.get(node.id, set())
            self.ref((*path, "default"), node.default, options, "option")
            for key in node.policy or {}:
                self.ref((*path, "policy", key), key, options, "option")
            if node.policy is not None and not any(node.policy.values()):
                self.add((*path, "policy"), "at least one option needs a weight above 0")
            self.participant((*path, "decided_by"), node.decided_by)
            for k, objective in enumerate(node.objectives):
                self.ref((*path, "objectives", k), objective, self.objectives, "objective")
            self.within_exercise((*path, "at"), node.at)
        elif isinstance(node, PlayerRole):
            self.participant((*path, "body"), node.body, roles=False)
        elif isinstance(node, Wave | FimiTrack):
            self.within_exercise((*path, "at"), node.at)
        elif isinstance(node, ExternalEvent):
            if node.partner is not None:
                self.ref((*path, "partner"), node.partner, self.partners, "partner")
            self.within_exercise((*path, "at"), node.at)
        elif isinstance(node, After):
            self.within_exercise((*path, "after"), node.after)
        elif isinstance(node, DecisionTaken):
            ref = node.decision
            self.ref((*path, "decision", "point"), ref.point, self.decisions, "decision point")
            if ref.option is not None and ref.point in self.decisions:
                self.ref(
                    (*path, "decision", "option"), ref.option, self.decisions[ref.point], "option"
                )
        elif isinstance(node, InjectDelivered):
            self.ref((*path, "inject_delivered"), node.inject_delivered, self.injects, "inject")
        elif isinstance(node, DeliverInject):
            self.ref((*path, "deliver_inject"), node.deliver_inject, self.injects, "inject")
        elif isinstance(node, MeasureStatus):
            self.ref((*path, "measure", "id"), node.measure.id, self.measures, "measure")
        elif isinstance(node, ProposeMeasure):
            self.ref((*path, "propose_measure"), node.propose_measure.id, self.measures, "measure")
        elif isinstance(node, ProposeListing):
            where = (*path, "propose_listing", "measure")
            measure = node.propose_listing.measure
            self.ref(where, measure, self.measures, "measure")
            if measure in self.measures and self.measures[measure].category != "restrictive":
                self.add(
                    where,
                    f"a listing request leads to a restrictive measure; {measure!r} is "
                    f"{self.measures[measure].category}",
                )
        elif isinstance(node, CsirtsNetworkAlert):
            self.ref(
                (*path, "csirts_network_alert"),
                node.csirts_network_alert,
                self.alert_modes,
                "alert mode",
            )
        elif isinstance(node, EventMatch):
            if node.where:
                fields = (*PAYLOAD_FIELDS[node.kind], *OPTIONAL_FIELDS.get(node.kind, ()))
                for name in node.where:
                    if name not in fields:
                        hint = did_you_mean(name, fields) or (
                            f"; its fields: {', '.join(fields)}" if fields
                            else "; it has no payload"
                        )
                        self.add(
                            (*path, "where", name),
                            f"{node.kind} events have no field {name!r}{hint}",
                        )
            if node.subject is not None:
                namespace = node.kind.split(".", 1)[0]
                if namespace not in self.subjects:
                    self.add(
                        (*path, "subject"),
                        f"events of kind {node.kind!r} are not about "
                        "a wave, external event, measure, inject or decision point; "
                        "remove 'subject'",
                    )
                else:
                    what, known = self.subjects[namespace]
                    self.ref((*path, "subject"), node.subject, known, what)
        elif isinstance(node, InjectExpectations):
            for k, inject in enumerate(node.injects):
                self.ref((*path, "injects", k), inject, self.injects, "inject")
        elif isinstance(node, CsirtsNetworkParams):
            if len(set(node.alert_modes)) != len(node.alert_modes):
                self.add((*path, "alert_modes"), "alert modes must be distinct")
            self.ref(
                (*path, "escalate_to_cyclone_at"),
                node.escalate_to_cyclone_at,
                node.alert_modes,
                "alert mode",
            )


def check(scenario: Scenario) -> list[Issue]:
    """Every cross-reference problem of a structurally valid scenario."""
    return _Checker(scenario).run()
