"""Foreign information manipulation and interference beside the incident (Foreign Affairs
Council conclusions on EU Digital Diplomacy, 18 July 2022, paras 3 and 21; docs/machinery.md
section 1).

When the FIMI track starts, each narrative is pushed. Every twelve hours a live narrative gains
reach with the track's ``amplification`` (more after a media leak, more again after
uncoordinated public messaging, whose contradictions it feeds on), less and less as it nears
the track's ``saturation``, which it never passes. Coordinated public
communication counters each live narrative with ``counter_effect_of_coordination``. A
deterred adversary stops pushing.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor
from simulator.engine.records import Event
from simulator.scenario.reference import FIMI_ROUND


class Fimi(Actor):
    scope = "fimi"

    def wire(self) -> None:
        self.track = self.scenario.campaign.fimi
        self.live: dict[str, int] = {}  # narrative -> reach
        self.started = False
        self.stopped = False
        self.leaked = False
        self.uncoordinated = False
        self.on("communication.public", self._communication)
        self.on("external.media_leak", self._leak)
        self.on("adversary.deterred", self._deterred)

    def start(self) -> None:
        if self.track is not None:
            self.kernel.at_or_when(self.track.at, self.track.when, self._start)

    def _start(self) -> None:
        if self.started or self.stopped or self.track is None:
            return
        self.started = True
        for narrative in self.track.narratives:
            self.live[narrative.id] = 1
            self.emit(
                "fimi.narrative",
                narrative=narrative.id,
                text=narrative.text,
                targets=list(narrative.targets),
                channels=list(narrative.channels),
                actor="adversary",
            )
        self.later(FIMI_ROUND, self._amplify)

    def _amplify(self) -> None:
        if self.stopped or not self.live or self.track is None:
            return
        chance = self.track.amplification
        chance *= 1.25 if self.leaked else 1.0
        chance *= 1.5 if self.uncoordinated else 1.0
        for narrative in sorted(self.live):
            # reach saturates: a narrative that has found most of its audience gains less
            room = max(0.0, 1.0 - self.live.get(narrative, 0) / self.track.saturation)
            if narrative in self.live and self.rng.random() < min(1.0, chance) * room:
                self.live[narrative] += 1
                self.emit("fimi.amplified", narrative=narrative, reach=self.live[narrative],
                          actor="adversary")
        self.later(FIMI_ROUND, self._amplify)

    def _communication(self, event: Event) -> None:
        mode = event.payload["mode"]
        if mode == "uncoordinated":
            self.uncoordinated = True
        elif mode == "coordinated" and self.track is not None:
            self.uncoordinated = False
            for narrative in sorted(self.live):
                if narrative in self.live and (
                    self.rng.random() < self.track.counter_effect_of_coordination
                ):
                    del self.live[narrative]
                    self.emit("fimi.countered", narrative=narrative, by=event.actor)

    def _leak(self, event: Event) -> None:
        self.leaked = True

    def _deterred(self, event: Event) -> None:
        self.stopped = True
