"""The EU Cybersecurity Reserve and incident reviews: the Cyber Solidarity Act (Regulation (EU)
2025/38, Art 14-19 and 21).

A request arrives through a Member State's SPoC. It is refused when the requester has not
already taken its own mitigation measures, or has no significant incident. The Reserve has a
limited capacity (providers deployable at once); competing requests wait in a queue ranked by
the Act's criteria: the severity of the incident, the type of entity (essential sectors of
NIS2 Annex I first), its impact, its cross-border spill-over and the requester's own measures.
Deployed providers shorten recovery in that Member State, and are released after their
deployment. A Member State has one request served at a time: another while the first waits or
is deployed (a decision's request beside its CSIRT's own) is refused, naming the first. The
Commission or EU-CyCLONe may ask ENISA for an incident review (Art 21): one per incident; the
Member States concerned (those that reported) each approve it with ``review_approval``, and
ENISA reports on those that did, ``timings.incident_review`` later. Neither exists under the
law of a start before 4 February 2025, when the Act came into force (docs/machinery.md
section 12): a request for the Reserve is refused with that reason, one for a review is logged
as ``law.not_in_force``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import simpy

from simulator.engine.kernel import Actor, Message
from simulator.engine.state import State
from simulator.scenario.reference import NIS2_ANNEX_I
from simulator.scenario.regime import absent, law_of


def rank(request: dict[str, Any], state: State) -> float:
    """The Art 14 ranking score of a request (higher goes first). Pure: the five criteria."""
    ms = request["member_state"]
    severity = 1.0 if ms in state.known_significant else 0.0
    sector = request.get("sector")
    essential = 1.0 if sector is None or sector in NIS2_ANNEX_I else 0.5
    impact = state.peak_impact.get(ms, 0.0)
    # the spill-over the EU level knows of: Member States whose CSIRTs passed it on
    spill_over = min(1.0, (len(state.eu_known) - 1) / 4) if state.eu_known else 0.0
    own = 1.0 if request.get("own_mitigation") else 0.0
    return round(severity + essential + impact + spill_over + own, 6)


class Reserve(Actor):
    scope = "reserve"

    def wire(self) -> None:
        capacity = self.scenario.machinery.reserve.capacity
        self.providers = simpy.PriorityResource(self.env, capacity=max(capacity, 1))
        self.capacity = capacity
        self.queued: dict[str, tuple[str, float]] = {}  # request -> (Member State, when)
        self.review = False  # one incident review per incident
        # the law in force (docs/machinery.md section 12): no Reserve and no incident review
        # before the Cyber Solidarity Act, no EU-CyCLONe to ask for a review before 2020
        self.law = law_of(self.scenario)
        self.on("reserve.request", self._request)
        self.on("effect.request_incident_review", self._review)

    def _request(self, message: Message) -> None:
        request = message.body
        ms = request["member_state"]
        reason = None
        if not self.law.cyber_solidarity_act:
            reason = "no EU Cybersecurity Reserve: " + absent("cyber_solidarity_act", self.law)
        elif not request.get("own_mitigation"):
            reason = "the requester has not taken mitigation measures of its own (Art 14(3))"
        elif ms not in self.state.known_significant:
            reason = "no significant or large-scale incident in the requesting Member State"
        elif self.capacity == 0:
            reason = "the Reserve has no capacity in this scenario"
        if reason:
            self.emit("reserve.refused", member_state=ms, request=request["request"],
                      reason=reason)
            return
        # every admissible request is queued and ranked (Art 14(4)), a second one of the same
        # Member State too: each is answered, deployed or still queued at the end
        self.queued[request["request"]] = (ms, self.now)
        self.kernel.process(self._deploy(request))

    def _deploy(self, request: dict[str, Any]) -> Iterator[Any]:
        ms = request["member_state"]
        score = rank(request, self.state)
        with self.providers.request(priority=-score) as slot:
            queued = len(self.providers.queue)
            yield slot
            yield self.env.timeout(self.sample(self.scenario.timings.reserve_deployment))
            del self.queued[request["request"]]
            self.emit(
                "reserve.deployed", member_state=ms, request=request["request"],
                rank_score=score, queued_behind=queued,
            )
            yield self.env.timeout(self.sample(self.scenario.machinery.reserve.deployment))
            self.emit("reserve.released", member_state=ms, request=request["request"])

    def close(self) -> None:
        for request, (ms, since) in self.queued.items():
            self.emit("reserve.queued_at_end", member_state=ms, request=request,
                      requested=since)

    def _review(self, message: Message) -> None:
        by = message.body["effect"].request_incident_review
        missing = ("cyber_solidarity_act" if not self.law.cyber_solidarity_act
                   else "cyclone" if by == "cyclone" and not self.law.cyclone else None)
        if missing:
            who = "EU-CyCLONe" if by == "cyclone" else "the Commission"
            self.emit("law.not_in_force", actor="enisa", body="incident_review",
                      step=f"{who} would ask ENISA for an incident review",
                      reason=absent(missing, self.law), requested_by=message.source)
            return
        if self.review:
            self.emit("incident_review.joined", actor="enisa", requested_by=by,
                      decision=message.body.get("decision"))
            return
        self.review = True
        concerned = sorted(self.state.eu_known)
        self.emit(
            "incident_review.requested",
            actor="enisa",
            requested_by=by,
            member_states=concerned,
            approval="subject to the Member States concerned",
        )
        self.later(self.sample(self.scenario.timings.incident_review_approval), self._answers,
                   concerned)

    def _answers(self, concerned: list[str]) -> None:
        p = self.scenario.machinery.reserve.review_approval
        approved = [ms for ms in concerned if self.rng.random() < p]
        self.emit("incident_review.approval", actor="enisa", approved=approved,
                  declined=[ms for ms in concerned if ms not in approved])
        if approved:
            self.later(self.sample(self.scenario.timings.incident_review), self._report, approved)

    def _report(self, approved: list[str]) -> None:
        self.emit("incident_review.completed", actor="enisa", member_states=approved,
                  to=["Commission", "EU-CyCLONe", "CSIRTs network"])
