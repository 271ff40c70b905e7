"""Exercise control: the MSEL, the moves and the decision points (docs/machinery.md section 11).

Not a body of the EU machinery but the facilitators' desk. Injects are delivered once, when
their time or trigger comes (contingency injects only when a facilitator or an effect plays
them); whatever was never delivered is recorded as skipped when the run ends. Decision points
open when their trigger fires; a player decides, or, in headless runs and for roles played by
policy, the scenario's policy does after a deliberation drawn for the point (never later than
its deadline); an open decision that waits for people falls to its default when its deadline
passes. Choosing an option sends each of its effects to the body concerned as an
``effect.<name>`` message: the machinery, not this desk, decides what follows. An inject's
effects go out the same way the moment it is delivered, however it is delivered, with the
inject's id where a decision's would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import TtxError
from ..scenario.effects import INJECT_EFFECTS, DeliverInject, effect_name
from ..scenario.models import DecisionPoint, Inject
from .kernel import Actor, Kernel, Message


def effect_topics() -> list[str]:
    """The message topic of every kind of effect, a decision's or an inject's; each must have
    a receiver."""
    return sorted(f"effect.{next(iter(model.model_fields))}" for model in INJECT_EFFECTS)


@dataclass(frozen=True)
class PendingDecision:
    """An open decision point: waiting for players, or for the policy's deliberation to end
    (``due``, when the policy decides)."""

    point: DecisionPoint
    opened: float
    deadline: float | None
    due: float | None = None


class ExerciseControl(Actor):
    scope = "exercise_control"

    def __init__(
        self, kernel: Kernel, interactive: bool, live_roles: frozenset[str] | None = None
    ) -> None:
        super().__init__(kernel)
        self.interactive = interactive
        #: who decides live in a session (role ids or bodies); None: every role played by
        #: players, and every body that is not a role, as in an interactive run
        self.live_roles = live_roles
        self.policy_rng = kernel.streams("policy")

    def outgoing(self) -> tuple[str, ...]:
        return tuple(effect_topics())

    def wire(self) -> None:
        msel = self.scenario.msel
        self.injects: dict[str, Inject] = {i.id: i for i in self.scenario.all_injects()}
        self.contingency = {i.id for i in msel.contingency_injects}
        self.points = {p.id: p for p in self.scenario.decision_points}
        self.roles = {r.id: r for r in self.scenario.roles}
        #: open points that wait for people
        self.pending: dict[str, PendingDecision] = {}
        #: open points on which the policy deliberates; people cannot decide these
        self.deliberating: dict[str, PendingDecision] = {}
        self.decided: set[str] = set()
        self.on("effect.deliver_inject", self._deliver_effect)

    def start(self) -> None:
        for move in self.scenario.msel.moves:
            self.kernel.at_or_when(move.start, None, lambda m=move: self.emit(
                "move.started", move=m.id, name=m.name))
        for inject in self.scenario.msel.injects:
            self.kernel.at_or_when(
                inject.at, inject.when, lambda i=inject: self.deliver(i.id, "msel")
            )
        for point in self.scenario.decision_points:
            self.kernel.at_or_when(point.at, point.when, lambda p=point: self._open(p))

    # -- injects ----------------------------------------------------------------------------

    def deliver(self, inject_id: str, by: str) -> None:
        inject = self.injects.get(inject_id)
        if inject is None:
            raise TtxError(f"no inject {inject_id!r} in this scenario")
        if inject_id in self.state.delivered:
            if by == "msel":
                return
            raise TtxError(f"inject {inject_id} was already delivered")
        # the effects are named in the record, as a decision's are (``decision.made``); only
        # an inject that has some carries the field
        extra = {"effects": [effect_name(e) for e in inject.effects]} if inject.effects else {}
        self.emit(
            "inject.delivered",
            subject=inject_id,
            actor=inject.from_,
            to=list(inject.to),
            mode=inject.mode,
            synopsis=inject.synopsis,
            move=inject.move,
            tlp=inject.tlp,
            objectives=list(inject.objectives),
            contingency=inject_id in self.contingency,
            by=by,
            **extra,
        )
        for effect in inject.effects:
            self.send(
                f"effect.{effect_name(effect)}",
                effect=effect,
                # the source the bodies cite (``decision <id>`` in their reasons, the
                # ``decision`` field of their records): here the inject
                decision=inject_id,
                inject=inject_id,
                by=by,  # how it was delivered: msel, the facilitator, a decision
                role=inject.from_,  # who speaks or acts on it: the inject's sender
                synopsis=inject.synopsis,  # what a stated fact says, unless it says otherwise
            )

    def _deliver_effect(self, message: Message) -> None:
        effect: DeliverInject = message.body["effect"]
        if effect.deliver_inject not in self.state.delivered:
            self.deliver(effect.deliver_inject, message.source)

    def close(self) -> None:
        """At the end: what was never delivered or decided is recorded as such."""
        self.skip_undelivered()
        for pending in self.open_decisions():
            self.emit(
                "decision.unresolved",
                subject=pending.point.id,
                opened=pending.opened,
                default=pending.point.default,
            )

    def skip_undelivered(self) -> None:
        for inject_id, inject in self.injects.items():
            if inject_id not in self.state.delivered:
                reason = (
                    "contingency inject not played" if inject_id in self.contingency
                    else "its trigger never fired" if inject.when is not None
                    else "after the end of the run"
                )
                self.emit("inject.skipped", subject=inject_id, reason=reason)

    # -- decisions --------------------------------------------------------------------------

    def _open(self, point: DecisionPoint) -> None:
        if point.id in self.pending or point.id in self.deliberating or point.id in self.decided:
            return
        deadline = None if point.deadline is None else self.now + point.deadline
        self.emit(
            "decision.pending",
            subject=point.id,
            prompt=point.prompt,
            decided_by=point.decided_by,
            options=[o.id for o in point.options],
            default=point.default,
            deadline=deadline,
        )
        if not self._waits_for_people(point):
            self._deliberate(point, deadline)
            return
        self.pending[point.id] = PendingDecision(point, self.now, deadline)
        if point.deadline is not None:
            self.later(point.deadline, self._expire, point.id)

    def _deliberate(self, point: DecisionPoint, deadline: float | None) -> None:
        """The policy decides once its deliberation ends: a draw from the point's distribution
        (``DecisionPoint.deliberation_for``), cut to the deadline, so that the policy always
        decides by then and the deadline's default never falls on it. The draw comes from a
        stream of the decision taker's own, so that it shifts no other body's numbers, nor the
        policy's choices."""
        distribution = point.deliberation_for(self.scenario.timings)
        delay = distribution.sample(self.kernel.streams(f"deliberation:{point.decided_by}"))
        if point.deadline is not None:
            delay = min(delay, point.deadline)
        if delay <= 0:  # no deliberation: the decision comes in the instant the point opens
            self._conclude(point)
            return
        self.deliberating[point.id] = PendingDecision(point, self.now, deadline, self.now + delay)
        self.later(delay, self._conclude, point)

    def _conclude(self, point: DecisionPoint) -> None:
        self.deliberating.pop(point.id, None)
        self._apply(point, self._policy(point), "policy", "the scenario's headless policy",
                    taken="policy")

    def _waits_for_people(self, point: DecisionPoint) -> bool:
        if not self.interactive:
            return False
        if self.live_roles is not None:
            return point.decided_by in self.live_roles
        role = self.roles.get(point.decided_by)
        return role is None or role.played_by != "policy"

    def note(self, text: str, by: str, kind: str | None, objectives: Sequence[str]) -> None:
        """An evaluator's observation, in the log where scoring and the report read it."""
        known = [o.id for o in self.scenario.objectives]
        unknown = [o for o in objectives if o not in known]
        if unknown:
            raise TtxError(f"no objective {', '.join(map(repr, unknown))} in this scenario; "
                           f"its objectives: {', '.join(known) or 'none'}")
        payload: dict[str, Any] = {"text": text, "by": by}
        if kind is not None:
            payload["kind"] = kind
        if objectives:
            payload["objectives"] = list(dict.fromkeys(objectives))
        # through the kernel: the payload has a field named like Actor.emit's ``kind``
        self.kernel.emit("observation.noted", self.scope, payload=payload)

    def _policy(self, point: DecisionPoint) -> str:
        if not point.policy:
            return point.default
        options = sorted(point.policy)
        weights = [point.policy[o] for o in options]
        if sum(weights) <= 0:
            return point.default
        return self.policy_rng.choices(options, weights=weights)[0]

    def _expire(self, point_id: str) -> None:
        if point_id in self.pending:
            point = self.pending[point_id].point
            self._apply(point, point.default, "deadline", "no decision before the deadline",
                        taken="deadline")

    def decide(self, point_id: str, option: str, by: str, rationale: str | None) -> None:
        waiting = ", ".join(sorted(self.pending)) or "none"
        if point_id not in self.points:
            raise TtxError(f"no decision point {point_id!r} in this scenario; waiting now: "
                           f"{waiting}")
        if point_id in self.decided:
            raise TtxError(f"decision point {point_id} was already decided; waiting now: "
                           f"{waiting}")
        if point_id in self.deliberating:
            raise TtxError(f"decision point {point_id} is decided by the scenario's policy "
                           f"({self.points[point_id].decided_by} is not played live); waiting "
                           f"now: {waiting}")
        if point_id not in self.pending:
            raise TtxError(f"decision point {point_id} is not open yet; waiting now: {waiting}")
        point = self.points[point_id]
        if option not in {o.id for o in point.options}:
            known = ", ".join(o.id for o in point.options)
            raise TtxError(f"decision point {point_id} has no option {option!r}; one of: {known}")
        self._apply(point, option, by, rationale, taken="players")

    def _apply(self, point: DecisionPoint, option_id: str, by: str, rationale: str | None,
               taken: str) -> None:
        """``taken``: how, whatever name ``by`` gives: the scenario's policy, the players, or
        the default when the deadline passed."""
        self.pending.pop(point.id, None)
        self.decided.add(point.id)
        option = next(o for o in point.options if o.id == option_id)
        self.emit(
            "decision.made",
            subject=point.id,
            option=option.id,
            label=option.label,
            by=by,
            taken=taken,
            rationale=rationale,
            effects=[effect_name(e) for e in option.effects],
        )
        for effect in option.effects:
            self.send(
                f"effect.{effect_name(effect)}",
                effect=effect,
                decision=point.id,
                by=by,  # how it was taken: players, the policy, the deadline's default
                role=point.decided_by,  # who speaks or acts on it
            )

    def pending_decisions(self) -> list[PendingDecision]:
        """The open points that wait for people (a policy's deliberation is not among them)."""
        return sorted(self.pending.values(), key=lambda p: (p.opened, p.point.id))

    def open_decisions(self) -> list[PendingDecision]:
        """Every open point: those waiting for people and those the policy deliberates on."""
        both = [*self.pending.values(), *self.deliberating.values()]
        return sorted(both, key=lambda p: (p.opened, p.point.id))
