"""The classification of the incident: the escalation ladder of docs/machinery.md section 4.

- *significant* (NIS2 Art 23(3); Implementing Regulation 2024/2690 Art 3): an entity suffers
  severe disruption (``significant_disruption``), a loss *over* the scenario's threshold
  (EUR 500,000 by default), a risk to life, or exfiltration;
- *large-scale* (NIS2 Art 6(7)): a significant impact on at least two Member States, or a
  disruption beyond one Member State's capacity to respond (a significantly impacted Member
  State whose CSIRT is overloaded). A Member State is significantly impacted when one of its
  entities is disrupted at or above ``significant_disruption``, or lives are at risk: data theft
  or a loss make an incident significant (it is reported) but do not impact a Member State so,
  and an espionage campaign that disrupts little stays below large-scale;
- *cyber crisis* (2025 Blueprint, C/2025/3445): a large-scale incident posing serious risks in
  several Member States at once: ``cyber_crisis_member_states`` of them (the Blueprint gives no
  number: a parameter) disrupted at ``cyber_crisis_disruption`` or more (weighted by
  criticality), or with lives at risk.

The ladder is climbed on what the EU level knows: a Member State counts once its national CSIRT
has passed the incident on to the CSIRTs network (after its entities reported, Art 23(4), and
it answered them, Art 23(5)), so EU-CyCLONe is not activated on facts nobody has passed on yet
(``State.eu_significant``, ``State.eu_impacted``), and a Member State's CSIRT being overloaded
counts once the network knows of its incident.

The tier rises one rung at a time (a jump from significant to cyber crisis is two events at
the same moment, so "large-scale reached" always has a time), and stays while the incident is
recovered from. Once every entity known to be affected (it reported) has recovered and no
Member State known at EU level is still disrupted, the current tier falls back below the
threshold in one step, the peak staying on record
(``State.max_tier_rank``): the machinery stands down too.
"""

from __future__ import annotations

from collections.abc import Set

from simulator.engine.kernel import Actor
from simulator.engine.records import Event
from simulator.engine.state import TIER_RANK, State
from simulator.scenario.reference import TIERS


def classify(
    compromised: bool,
    significant: Set[str],
    impacted: Set[str],
    overloaded: Set[str],
    serious: Set[str],
    crisis_member_states: int,
) -> tuple[str, str]:
    """The tier and the reason for it; a pure function of what is known: the Member States
    with a significant incident, those significantly impacted, those whose CSIRT is
    overloaded, and those where the incident poses a serious risk now."""
    beyond = impacted & overloaded
    if len(impacted) >= 2 or beyond:
        serious = serious & impacted
        if len(serious) >= crisis_member_states:
            return "cyber_crisis", f"serious risks in {len(serious)} Member States at once"
        if len(impacted) >= 2:
            return "large_scale", (
                f"significant impact in {len(impacted)} Member States (NIS2 Art 6(7))"
            )
        return "large_scale", (
            f"beyond {', '.join(sorted(beyond))}'s capacity to respond (NIS2 Art 6(7))"
        )
    if significant or impacted:
        return "significant", "a significant incident (NIS2 Art 23(3))"
    if compromised:
        return "below_threshold", "entities compromised; nothing significant yet"
    return "below_threshold", "no incident"


def serious_risks(state: State, disruption: float, overloaded: Set[str]) -> set[str]:
    """The Member States known at EU level where the incident poses a serious risk now:
    disrupted at ``disruption`` or more, or still disrupted beyond their CSIRT's capacity."""
    return {
        ms for ms in state.eu_impacted
        if (level := state.impact.get(ms, 0.0)) >= disruption
        or (level > 0 and ms in overloaded)
    }


#: the optional 0-4 profile: claimed by secondary sources for the 2025 Blueprint, not confirmed
#: in its text, so it is only ever reported beside the four tiers, labelled as such
BLUEPRINT_0_4 = {"below_threshold": 1, "significant": 2, "large_scale": 3, "cyber_crisis": 4}


class Classification(Actor):
    scope = "classification"

    def wire(self) -> None:
        self.params = self.scenario.machinery.classification
        self.known = 0  # how many Member States are known to be significantly hit
        self.overloaded: set[str] = set()
        self.rank = 0
        for kind in ("adversary.impact", "csirts_network.informed"):
            self.on(kind, self._known)
        self.on("csirt.overloaded", self._overloaded)
        # the entities that reported, and those recovered (before or after they reported)
        self.reported: set[str] = set()
        self.recovered: set[str] = set()
        for kind in ("entity.early_warning", "entity.notification", "entity.recovered"):
            self.on(kind, self._recovery)

    def _known(self, event: Event) -> None:
        if event.kind == "adversary.impact" and self.rank > 0:
            self._maybe_fall()
        state = self.state
        known = len(state.eu_significant) + len(state.eu_impacted)
        if known > self.known:
            self.known = known
            self._update()
        elif event.kind == "csirts_network.informed" and self.overloaded:
            self._update()  # an overloaded CSIRT's Member State now known at EU level
        elif self.rank == TIER_RANK["large_scale"] and event.kind == "adversary.impact":
            self._update()  # the disruption may now pose serious risks in enough of them

    def _recovery(self, event: Event) -> None:
        entity = event.payload["entity"]
        (self.recovered if event.kind == "entity.recovered" else self.reported).add(entity)
        self._maybe_fall()

    def _maybe_fall(self) -> None:
        quiet = not any(self.state.impact.get(ms, 0.0) > 0 for ms in self.state.eu_known)
        if self.rank > 0 and self.reported and self.reported <= self.recovered and quiet:
            previous, self.rank = TIERS[self.rank], 0
            self.overloaded.clear()
            self.emit(
                "classification.tier",
                tier=TIERS[0],
                previous=previous,
                reason="every entity known to be affected has recovered (the peak stays on "
                       "record)",
                member_states=[],
            )

    def _overloaded(self, event: Event) -> None:
        if event.member_state:
            self.overloaded.add(event.member_state)
            self._update()

    def _update(self) -> None:
        state, params = self.state, self.params
        overloaded = self.overloaded & state.eu_known.keys()
        tier, reason = classify(
            True,
            state.eu_significant,
            state.eu_impacted,
            overloaded,
            serious_risks(state, params.cyber_crisis_disruption, overloaded),
            params.cyber_crisis_member_states,
        )
        while self.rank < TIER_RANK[tier]:
            previous = TIERS[self.rank]
            self.rank += 1
            rung = TIERS[self.rank]
            extra = {}
            if self.params.scale == "blueprint_0_4":
                extra["severity_0_4"] = BLUEPRINT_0_4[rung]
                extra["severity_note"] = "0-4 profile from secondary sources, not the Blueprint"
            self.emit(
                "classification.tier",
                tier=rung,
                previous=previous,
                reason=reason,
                member_states=sorted(state.eu_significant | state.eu_impacted),
                **extra,
            )
