"""The adversary: the campaign's waves, their spread, and the answer to EU responses.

Follows the scenario's campaign (docs/design.md, "Scenarios") and docs/machinery.md section 3
("may be deterred or may escalate"). The adversary decides what it compromises; what a compromise
does to an entity (impact, detection, reporting) is the entities' business, so it only tells them.

Rules of the model, stated once:
- a wave compromises ``entities_per_member_state`` entities in each Member State it reaches
  (or the number ``impact.entities`` gives for that Member State), spread round-robin over its
  sectors;
- spread: every ``spread.interval`` the wave tries one more Member State (from ``candidates``,
  or any), succeeding with ``spread.probability``, until it has reached ``max_member_states``
  *in all, its first targets included*; and, where ``spread.sectors`` names some, one more
  sector with ``spread.sector_probability`` (suppliers, shared software): one entity of that
  sector in each Member State reached so far, and the sector's share of the entities wherever
  the wave goes next;
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
from simulator.scenario.reference import (
    MAX_ESCALATION,
    MEMBER_STATES,
    MIN_INTERVAL,
    PATCHABLE_VECTORS,
    PATCHED_SPREAD,
)


class Adversary(Actor):
    scope = "adversary"
    sends = (
        *(f"{ms}.entities.compromise" for ms in MEMBER_STATES),
        "eu_institutions.entities.compromise",
    )

    def wire(self) -> None:
        self.campaign = self.scenario.campaign
        self.reached: dict[str, list[str]] = {}  # wave id -> Member States, in order
        self.sectors: dict[str, list[str]] = {}  # wave id -> sectors, in order
        self.deterred = False
        self.escalation = 0
        self.patched = False
        self.spreading = 0  # waves still spreading
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
        self.sectors[wave.id] = list(wave.targets.sectors)
        self.emit(
            "adversary.wave_started",
            subject=wave.id,
            vector=wave.vector,
            techniques=list(wave.techniques),
            targets=list(wave.targets.member_states),
            sectors=list(wave.targets.sectors),
            threat_actor=getattr(self.campaign.actor_of(wave), "name", None),
            # where it came from, outside the Union: nothing is compromised there in the model
            **({"third_countries": list(wave.targets.third_countries)}
               if wave.targets.third_countries else {}),
        )
        if wave.targets.eu_institutions:
            # Union entities (CERT-EU's constituency) are hit at the start, with the wave's
            # first sectors; the spread rules are about Member States
            self.send(
                "eu_institutions.entities.compromise",
                wave=wave.id,
                severity=self._severity(wave),
                sectors=tuple(self.sectors[wave.id]),
                entities=wave.targets.eu_institutions,
            )
        for ms in wave.targets.member_states:
            if len(self.reached[wave.id]) < wave.spread.max_member_states:
                self._compromise(wave, ms, first=True)
        spread = wave.spread
        # a wave that can reach no further Member State nor sector does not keep a spreading
        # process alive: the campaign is over once its effects are (``active``)
        more_states = spread.probability > 0 and (
            len(self.reached[wave.id]) < spread.max_member_states
        )
        more_sectors = spread.sector_probability > 0 and bool(self._new_sectors(wave))
        if more_states or more_sectors:
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
                sector=None,
                sectors=list(self.sectors[wave.id]),
                escalation=self.escalation,
            )
        self.send(
            f"{ms}.entities.compromise",
            wave=wave.id,
            severity=self._severity(wave),
            sectors=tuple(self.sectors[wave.id]),
            entities=wave.impact.entities.get(ms, wave.impact.entities_per_member_state),
        )

    def _severity(self, wave: Wave) -> float:
        return min(1.0, wave.impact.peak * (1.25**self.escalation))

    def _new_sectors(self, wave: Wave) -> list[str]:
        have = self.sectors[wave.id]
        return [s for s in wave.spread.sectors if s not in have]

    def _into_sector(self, wave: Wave, sector: str) -> None:
        sectors = self.sectors[wave.id]
        sectors.append(sector)
        reached = self.reached[wave.id]
        self.emit(
            "adversary.spread",
            subject=wave.id,
            reached=len(reached),
            sector=sector,
            sectors=list(sectors),
            escalation=self.escalation,
        )
        for ms in reached:
            self.send(
                f"{ms}.entities.compromise",
                wave=wave.id,
                severity=self._severity(wave),
                sectors=(sector,),
                entities=1,
            )

    def _chance(self, wave: Wave, base: float) -> float:
        if base <= 0:
            return 0.0  # a wave that does not spread does not start to because of escalation
        chance = min(1.0, base + 0.15 * self.escalation)
        if self.patched and wave.vector in PATCHABLE_VECTORS:
            chance *= PATCHED_SPREAD
        return chance

    def _spread(self, wave: Wave) -> Iterator[Any]:
        self.spreading += 1
        try:
            yield from self._spreading(wave)
        finally:
            self.spreading -= 1

    def _spreading(self, wave: Wave) -> Iterator[Any]:
        spread = wave.spread
        pool = list(spread.candidates) or sorted(MEMBER_STATES)
        reached = self.reached[wave.id]
        while not self.deterred:
            room = len(reached) < spread.max_member_states
            if not ((room and any(ms not in reached for ms in pool)) or self._new_sectors(wave)):
                return  # nowhere left to go
            interval = self.sample(spread.interval) / (2**self.escalation)
            yield self.env.timeout(max(interval, MIN_INTERVAL))
            if self.deterred:
                return
            left = [ms for ms in pool if ms not in reached]
            if left and len(reached) < spread.max_member_states and (
                self.rng.random() < self._chance(wave, spread.probability)
            ):
                self._compromise(wave, self.rng.choice(left), first=False)
            sectors = self._new_sectors(wave)
            if sectors and self.rng.random() < self._chance(wave, spread.sector_probability):
                self._into_sector(wave, self.rng.choice(sectors))

    # -- reactions --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """The campaign goes on: a wave still to come or still spreading, or its effects still
        felt somewhere. A measure adopted after a one-off attack is over deters or provokes
        nothing."""
        waiting = any(w.id not in self.reached for w in self.campaign.waves)
        return waiting or self.spreading > 0 or any(v > 0 for v in self.state.impact.values())

    def _response(self, event: Event) -> None:
        if self.deterred or not self.active or not self.campaign.malicious:
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
            self.escalation < MAX_ESCALATION
            and self.rng.random() < min(1.0, reaction.escalation + risk)
        ):
            self.escalation += 1
            self.emit(
                "adversary.escalated", subject=None, measure=event.subject, level=self.escalation
            )

    def _patch(self, event: Event) -> None:
        self.patched = True
