"""EU-CyCLONe, the Cyber Crisis Liaison Organisation Network (NIS2 Art 16).

Activated when the CSIRTs network escalates, when the incident meets the large-scale test of
Art 6(7), or on request. Chaired by the Member State holding the Council Presidency; the
Commission is a full member only when the large-scale incident significantly hits services
under NIS2, an observer otherwise (Art 16(2)). It produces impact and severity assessments with
proposed mitigations for the political level (Art 16(3)(b)-(c)) and takes no political
decision. Officers meet throughout; the Executives join from the scenario's
``machinery.cyclone.executives_at`` tier. It stands down when every affected entity has
recovered, or on request. It exists only under the law of a start from 29 September 2020, when
it was launched (``machinery.legal_regime.cyclone``, docs/machinery.md section 12): before,
the first moment it would have met and every request for it are logged as ``law.not_in_force``
and nothing meets.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event
from simulator.engine.state import IPCR_RANK, TIER_RANK
from simulator.engine.triggers import Compiled
from simulator.scenario.reference import MIN_INTERVAL
from simulator.scenario.regime import absent, law_of

#: the CSIRTs network has circulated its picture: an alert raised, or indicators shared
NETWORK_ALERTED = Compiled(
    lambda s: s.alert_mode is not None or s.indicators_shared,
    frozenset({"csirts_network.alert", "csirts_network.indicators_shared"}),
    frozenset(),
)


class Cyclone(Actor):
    scope = "cyclone"

    def wire(self) -> None:
        # the law in force (docs/machinery.md section 12): before 29 September 2020 there is
        # no EU-CyCLONe, and nothing activates it, not even a request
        self.law = law_of(self.scenario)
        self.absence_logged = False
        self.active = False
        self.activating = False
        self.assessments = 0
        self.generation = 0  # bumps at each activation, so old timers fall silent
        self.on("cyclone.escalation", self._escalation)
        self.on("classification.tier", self._tier)
        self.on("effect.cyclone", self._request)
        self.on("adversary.impact", self._impact)
        # what the Member States have told it: entities that reported, and their recovery
        self.known: set[str] = set()
        self.recovered: set[str] = set()  # every entity recovered, reported or not yet
        self.on("entity.early_warning", self._detected)
        self.on("entity.notification", self._detected)
        self.on("entity.recovered", self._recovered)

    def _escalation(self, message: Message) -> None:
        self._activate(f"CSIRTs network alert {message.body['mode']}")

    def _tier(self, event: Event) -> None:
        if TIER_RANK[event.payload["tier"]] >= TIER_RANK["large_scale"]:
            # EU-CyCLONe works from the technical picture the CSIRTs network has put out
            # (Art 15(3), 16(3)): on a large-scale incident it meets once the network has
            # raised its alert, not on facts the network has not yet circulated
            self.kernel.when(NETWORK_ALERTED,
                             lambda: self._activate("large-scale incident (NIS2 Art 6(7))"))

    def _request(self, message: Message) -> None:
        action = message.body["effect"].cyclone
        if not self.law.cyclone:
            done = "activated" if action == "activate" else "stood down"
            self._absent(f"EU-CyCLONe would be {done} on request", requested_by=message.source)
            return
        if action == "activate":
            self._activate(f"request ({message.source})")
        elif self.active:
            self._stand_down(f"request ({message.source})")

    def _activate(self, reason: str) -> None:
        if not self.law.cyclone:
            if not self.absence_logged:  # once: the first moment it would have met
                self.absence_logged = True
                self._absent(f"EU-CyCLONe would be activated: {reason}", requested_by=None)
            return
        if self.active or self.activating:
            return
        self.activating = True
        self.later(self.sample(self.scenario.timings.cyclone_activation), self._activated, reason)

    def _activated(self, reason: str) -> None:
        self.activating = False
        self.active = True
        self.generation += 1
        self.emit(
            "cyclone.activated",
            trigger=reason,
            chair=self.scenario.metadata.presidency_at(self.now),
            commission=self._commission(),
            level=self._level(),
        )
        first = self.sample(self.scenario.timings.cyclone_first_assessment)
        self.later(first, self._assess, self.generation)

    def _absent(self, step: str, requested_by: str | None) -> None:
        self.emit("law.not_in_force", body="cyclone", step=step,
                  reason=absent("cyclone", self.law), requested_by=requested_by)

    def _commission(self) -> str:
        return "full_member" if self.state.max_tier_rank >= TIER_RANK["large_scale"] else "observer"

    def _level(self) -> str:
        executives = TIER_RANK[self.scenario.machinery.cyclone.executives_at]
        return "executives" if self.state.max_tier_rank >= executives else "officers"

    def _assess(self, generation: int) -> None:
        if not self.active or generation != self.generation:
            return
        self.assessments += 1
        state = self.state
        impact = [state.impact.get(ms, 0.0) for ms in state.eu_known]
        self.emit(
            "cyclone.assessment",
            number=self.assessments,
            tier=state.max_tier,
            member_states_affected=sorted(state.eu_known),
            significant=sorted(state.eu_significant),
            impact=round(max(impact, default=0.0), 4),
            level=self._level(),
            commission=self._commission(),
            mitigations=self._mitigations(),
            to=["presidency", "ipcr", "hwpci"],
            chair=self.scenario.metadata.presidency_at(self.now),  # the Presidency in office
        )
        interval = self.sample(self.scenario.timings.cyclone_assessment_interval)
        self.later(max(interval, MIN_INTERVAL), self._assess, generation)
        # an incident over before the first meeting gets that one assessment, and no more
        self._maybe_stand_down()

    def _mitigations(self) -> list[str]:
        state = self.state
        proposed = []
        if not state.indicators_shared:
            proposed.append("share indicators in the CSIRTs network")
        overloaded = [
            ms for ms in sorted(state.eu_significant)
            if state.count("csirt.overloaded", None, ms)
            and not state.count("reserve.requested", None, ms)
        ]
        act = self.law.cyber_solidarity_act  # the Reserve and incident reviews exist
        if overloaded and act and self.scenario.machinery.reserve.capacity > 0:
            proposed.append(f"request the EU Cybersecurity Reserve ({', '.join(overloaded)})")
        if state.max_tier_rank >= TIER_RANK["large_scale"] and IPCR_RANK[state.ipcr_mode] < 2:
            proposed.append("IPCR information-sharing mode and ISAA reports")
        if state.count("fimi.narrative") or state.count("external.media_leak"):
            proposed.append("coordinated public communication")
        if act and state.max_tier_rank >= TIER_RANK["large_scale"] and not state.count(
            "incident_review.requested"
        ):
            proposed.append("ENISA incident review (Cyber Solidarity Act Art 21)")
        return proposed

    def _detected(self, event: Event) -> None:
        self.known.add(event.payload["entity"])
        self._maybe_stand_down()

    def _recovered(self, event: Event) -> None:
        # an entity may recover before it reports: it still counts once it is known
        self.recovered.add(event.payload["entity"])
        self._maybe_stand_down()

    def _impact(self, event: Event) -> None:
        self._maybe_stand_down()

    def _maybe_stand_down(self) -> None:
        # the entities it knows of, not those the adversary holds unseen
        if self.active and self.assessments and self.known and self.known <= self.recovered:
            self._stand_down("every entity known to be affected has recovered")

    def _stand_down(self, reason: str) -> None:
        self.active = False
        self.generation += 1
        self.emit("cyclone.deactivated", reason=reason, assessments=self.assessments)
