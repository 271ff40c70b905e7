"""The adversary: the campaign's waves, their spread, and the answer to EU responses.

Follows the scenario's campaign (DESIGN.md, "Scenarios") and DOMAIN.md section 3 ("may be
deterred or may escalate"). The adversary decides what it compromises; what a compromise does
to an entity (impact, detection, reporting) is the entities' business, so it only tells them.

Rules of the model, stated once:
- a wave compromises ``entities_per_member_state`` entities in each Member State it reaches,
  spread round-robin over its sectors;
- spread: every ``spread.interval`` the wave tries one more Member State (from ``candidates``,
  or any), succeeding with ``spread.probability``, until it has reached ``max_member_states``
  *in all, its first targets included*;
- an adopted Toolbox measure that carries a signal (deterrence or escalation risk) deters the
  adversary with probability ``reaction.deterrence + measure deterrence``; otherwise it provokes
  escalation with ``reaction.escalation + measure escalation risk``. Deterred: no further spread,
  no further waves. Escalated: spread attempts twice as often and more likely, impact harder;
- a vendor's patch halves the spread of waves that exploit a vulnerability or a supply chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from simulator.engine.kernel import Actor
from simulator.engine.records import Event
from simulator.scenario.models import Wave
from simulator.scenario.reference import MEMBER_STATES

_PATCHABLE = {"vulnerability_exploitation", "supply_chain"}
_MAX_ESCALATION = 3


class Adversary(Actor):
    scope = "adversary"
    sends = tuple(f"{ms}.entities.compromise" for ms in MEMBER_STATES)

    def wire(self) -> None:
        self.campaign = self.scenario.campaign
        self.reached: dict[str, list[str]] = {}  # wave id -> Member States, in order
        self.deterred = False
        self.escalation = 0
        self.patched = False
        self.on("measure.adopted", self._response)
        self.on("external.patch_release", self._patch)

    def start(self) -> None:
        for wave in self.campaign.waves:
            self.kernel.at_or_when(wave.at, wave.when, lambda wave=wave: self._launch(wave))

    # -- waves ------------------------------------------------------------------------------

    def _launch(self, wave: Wave) -> None:
        if self.deterred or wave.id in self.reached:
            return
        self.reached[wave.id] = []
        self.emit(
            "adversary.wave_started",
            subject=wave.id,
            vector=wave.vector,
            techniques=list(wave.techniques),
            targets=list(wave.targets.member_states),
            sectors=list(wave.targets.sectors),
        )
        for ms in wave.targets.member_states:
            if len(self.reached[wave.id]) < wave.spread.max_member_states:
                self._compromise(wave, ms, first=True)
        if len(self.reached[wave.id]) < wave.spread.max_member_states:
            self.kernel.process(self._spread(wave))

    def _compromise(self, wave: Wave, ms: str, first: bool) -> None:
        reached = self.reached[wave.id]
        if ms in reached:
            return
        reached.append(ms)
        if not first:
            self.emit(
                "adversary.spread",
                subject=wave.id,
                member_state=ms,
                reached=len(reached),
                escalation=self.escalation,
            )
        self.send(
            f"{ms}.entities.compromise",
            wave=wave.id,
            severity=min(1.0, wave.impact.peak * (1.25**self.escalation)),
        )

    def _spread(self, wave: Wave) -> Iterator[Any]:
        spread = wave.spread
        pool = list(spread.candidates) or sorted(MEMBER_STATES)
        reached = self.reached[wave.id]
        while not self.deterred and len(reached) < spread.max_member_states:
            left = [ms for ms in pool if ms not in reached]
            if not left:
                return
            interval = self.sample(spread.interval) / (2**self.escalation)
            yield self.env.timeout(max(interval, 1.0))
            if self.deterred:
                return
            chance = min(1.0, spread.probability + 0.15 * self.escalation)
            if self.patched and wave.vector in _PATCHABLE:
                chance /= 2
            if self.rng.random() < chance:
                left = [ms for ms in pool if ms not in reached]
                if left:
                    self._compromise(wave, self.rng.choice(left), first=False)

    # -- reactions --------------------------------------------------------------------------

    def _response(self, event: Event) -> None:
        if self.deterred:
            return
        deterrence = float(event.payload.get("deterrence", 0.0))
        risk = float(event.payload.get("escalation_risk", 0.0))
        if deterrence == 0.0 and risk == 0.0:
            return
        reaction = self.campaign.reaction
        if self.rng.random() < min(1.0, reaction.deterrence + deterrence):
            self.deterred = True
            self.emit("adversary.deterred", subject=None, measure=event.subject)
        elif (
            self.escalation < _MAX_ESCALATION
            and self.rng.random() < min(1.0, reaction.escalation + risk)
        ):
            self.escalation += 1
            self.emit(
                "adversary.escalated", subject=None, measure=event.subject, level=self.escalation
            )

    def _patch(self, event: Event) -> None:
        self.patched = True
