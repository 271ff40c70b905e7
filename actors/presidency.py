"""The Council Presidency and the IPCR arrangements (Council Implementing Decision (EU)
2018/1993; docs/machinery.md section 5).

Modes climb one step at a time: none -> monitoring -> information sharing -> full activation.
A request to jump is honoured along the ladder, each step an event. The one exception is the
solidarity clause: when a Member State invokes Art 222 TFEU, IPCR goes to full activation at
once. From information sharing on, the Commission and the EEAS produce ISAA reports (with
ENISA's input) and the Presidency convenes roundtables.

What the Presidency decides by itself in a headless run follows practice: monitoring when
EU-CyCLONe is activated, information sharing when its assessment shows a large-scale
incident. Full activation is a political step no cyber incident has yet led to (docs/machinery.md
section 5): the Presidency takes it by itself only where the scenario says so
(``machinery.ipcr_automatic_full_activation``), during a cyber crisis,
``timings.ipcr_full_activation`` after information sharing began (2015: 10 days; 2020: 34).
A mode that one of the scenario's decision points can set is left to that decision point, so
players, not the automaton, make the call the exercise is about.

The Presidency itself rotates on 1 January and 1 July (Art 16(9) TEU; the order: Council
Decision (EU) 2016/1316). An exercise that runs across a rotation names the successor
(``metadata.presidency`` as a schedule); the handover is an event (``presidency.handover``),
and from then on the new Presidency chairs IPCR's roundtables, EU-CyCLONe and the HWPCI: every
body reads the one in office at the moment (``Metadata.presidency_at``).
"""

from __future__ import annotations

from itertools import pairwise

from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event
from simulator.engine.state import IPCR_RANK, TIER_RANK
from simulator.scenario.effects import SetIpcrMode
from simulator.scenario.reference import IPCR_MODES, MIN_INTERVAL


class Presidency(Actor):
    scope = "presidency"

    def wire(self) -> None:
        self.rank = 0
        self.isaa_generation = 0
        self.full_pending = False
        self.sharing_since: float | None = None  # when information sharing began
        decided = {
            effect.ipcr_mode
            for point in self.scenario.decision_points
            for option in point.options
            for effect in option.effects
            if isinstance(effect, SetIpcrMode)
        }
        self.automatic = {mode for mode in IPCR_MODES if mode not in decided}
        if not self.scenario.machinery.ipcr_automatic_full_activation:
            self.automatic.discard("full_activation")
        self.on("effect.ipcr_mode", self._request)
        self.on("treaty.art222_invoked", self._art222)
        self.on("cyclone.activated", self._cyclone)
        self.on("cyclone.assessment", self._assessment)
        self.on("classification.tier", self._tier)

    def start(self) -> None:
        held = self.scenario.metadata.presidencies()
        for (_, outgoing), (since, incoming) in pairwise(held):
            self.later(since, self._handover, outgoing, incoming)
        initial = self.scenario.machinery.initial_ipcr_mode
        if initial != "none":
            self._climb(IPCR_RANK[initial], "initial mode of the scenario")

    @property
    def chair(self) -> str:
        """The Member State holding the Presidency now."""
        return self.scenario.metadata.presidency_at(self.now)

    def _handover(self, outgoing: str, incoming: str) -> None:
        self.emit("presidency.handover", member_state=incoming, outgoing=outgoing,
                  incoming=incoming)

    # -- the Presidency's own practice ------------------------------------------------------

    def _auto(self, mode: str, reason: str) -> None:
        if mode in self.automatic and IPCR_RANK[mode] > self.rank:
            self._climb(IPCR_RANK[mode], reason)

    def _cyclone(self, event: Event) -> None:
        self._auto("monitoring", "EU-CyCLONe activated")

    def _assessment(self, event: Event) -> None:
        if TIER_RANK[event.payload["tier"]] >= TIER_RANK["large_scale"]:
            self._auto("information_sharing", "EU-CyCLONe assesses a large-scale incident")

    def _tier(self, event: Event) -> None:
        if event.payload["tier"] == "cyber_crisis":
            self._consider_full_activation()
        elif (event.payload["tier"] == "below_threshold"
              and self.rank > IPCR_RANK["monitoring"]):
            # everything known has recovered: after a while the Presidency steps IPCR back,
            # and the ISAA reports stop with information sharing
            self.later(self.sample(self.scenario.timings.ipcr_step_back), self._step_back)

    def _step_back(self) -> None:
        if self.state.tier == "below_threshold" and self.rank > IPCR_RANK["monitoring"]:
            self._set(IPCR_RANK["monitoring"], "the incident is over: every entity known to be "
                      "affected has recovered", via="presidency")

    def _consider_full_activation(self) -> None:
        if (
            self.state.max_tier_rank >= TIER_RANK["cyber_crisis"]
            and self.sharing_since is not None
            and not self.full_pending
            and "full_activation" in self.automatic
        ):
            self.full_pending = True
            due = self.sharing_since + self.sample(self.scenario.timings.ipcr_full_activation)
            self.later(due - self.now, self._full_activation_due)

    def _full_activation_due(self) -> None:
        # only if no decision has stood IPCR down below information sharing meanwhile
        if self.rank >= IPCR_RANK["information_sharing"]:
            self._auto("full_activation", "a cyber crisis persists")

    # -- requests and the treaty ------------------------------------------------------------

    def _request(self, message: Message) -> None:
        mode = message.body["effect"].ipcr_mode
        reason = message.source
        target = IPCR_RANK[mode]
        if target > self.rank:
            self._climb(target, reason)
        elif target < self.rank:
            self._set(target, reason, via="presidency")

    def _art222(self, event: Event) -> None:
        if self.rank < IPCR_RANK["full_activation"]:
            self._set(
                IPCR_RANK["full_activation"],
                f"solidarity clause invoked by {event.member_state}",
                via="art_222",
            )

    def _climb(self, target: int, reason: str) -> None:
        while self.rank < target:
            self._set(self.rank + 1, reason, via="presidency")

    def _set(self, rank: int, reason: str, via: str) -> None:
        previous, self.rank = IPCR_MODES[self.rank], rank
        mode = IPCR_MODES[rank]
        self.emit("ipcr.mode", mode=mode, previous=previous, reason=reason, via=via)
        if rank >= IPCR_RANK["information_sharing"]:
            self.emit("ipcr.roundtable", mode=mode, chair=self.chair)
            if IPCR_RANK[previous] < IPCR_RANK["information_sharing"]:
                # the first report after its preparation, not in the minute the mode changes
                self.isaa_generation += 1
                self.later(self.sample(self.scenario.timings.isaa_first_report), self._isaa,
                           self.isaa_generation)
                if self.sharing_since is None:
                    self.sharing_since = self.now
                    self._consider_full_activation()
        else:
            self.isaa_generation += 1  # below information sharing: ISAA reports stop

    def _isaa(self, generation: int) -> None:
        if generation != self.isaa_generation:
            return
        state = self.state
        self.emit(
            "ipcr.isaa_report",
            authors=["Commission", "EEAS"],
            # the sources that have produced something to feed it so far
            input=["ENISA", *(["EU-CyCLONe"] if state.count("cyclone.assessment") else []),
                   *(["EU INTCEN"] if state.count("intcen.assessment") else [])],
            tier=state.max_tier,
            member_states_affected=sorted(state.eu_known),
            mode=IPCR_MODES[self.rank],
        )
        interval = self.sample(self.scenario.timings.isaa_report_interval)
        self.later(max(interval, MIN_INTERVAL), self._isaa, generation)
