"""The Cyber Diplomacy Toolbox: the life of a measure (Council conclusions 10474/17 of June 2017
and their implementing guidelines, revised June 2023; Decision (CFSP) 2019/797 and Regulation
(EU) 2019/796 for restrictive measures; docs/machinery.md section 6).

proposed -> prepared -> adopted or blocked -> in effect. Who must agree decides the path, not
the name of the body that will carry the measure out (``actors.rules.council_stages``):

- a measure the Member States must agree (a Council body decides it, or its ``voting`` is
  consensus or unanimity, whoever decides it) goes through the Council's preparatory chain,
  each step taking its time, and a vote (``actors.council``);
- one the Commission, the EEAS or the High Representative takes alone (``voting: none``) is
  prepared and adopted after the institution's own drafting and clearance
  (``timings.institution_clearance``);
- only a measure that needs nobody's agreement, a Member State's own lawful response, is
  proposed, prepared and adopted in the same minute.

Prerequisites are checked when a measure is proposed and again at the moment of adoption: a
measure whose prerequisites do not hold is blocked, so none is ever adopted without them.
Proportionality (scope, scale, severity, and how far its language runs ahead of the evidence)
does not block a measure by itself; it is recorded, and a disproportionate measure is harder to
agree in the Council.
"""

from __future__ import annotations

from actors.rules import (
    INSTITUTIONS,
    council_stages,
    member_state_of,
    missing_prerequisites,
    proportionate,
)
from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event


class Toolbox(Actor):
    scope = "toolbox"
    sends = ("council.submit",)

    def wire(self) -> None:
        self.catalogue = self.scenario.toolbox.catalogue()
        self.status: dict[str, str] = {}  # measure -> in_progress | adopted | blocked
        self.on("toolbox.propose", self._proposal)
        self.on("effect.propose_measure", self._effect)
        self.on("toolbox.decided", self._decided)
        self.on("hwpci.agreed", self._prepared)

    def _effect(self, message: Message) -> None:
        proposal = message.body["effect"].propose_measure
        self._propose(
            proposal.id,
            message.source,
            proposal.align_with_partners,
            member_state_of(message.body.get("role"), self.scenario),
        )

    def _proposal(self, message: Message) -> None:
        body = message.body
        self._propose(
            body["measure"],
            body["by"],
            body.get("align_with_partners", False),
            member_state_of(body["by"], self.scenario),
        )

    def _propose(self, measure_id: str, by: str, align: bool, requester: str | None) -> None:
        if self.status.get(measure_id) in ("in_progress", "adopted"):
            return
        measure = self.catalogue[measure_id]
        fits, why = proportionate(measure, self.state, align_with_partners=align)
        missing = missing_prerequisites(measure, self.state, self.scenario,
                                        awaiting_attribution=align)
        self.emit(
            "measure.proposed",
            subject=measure_id,
            name=measure.name,
            category=measure.category,
            decision_body=measure.decision_body,
            voting=measure.voting,
            by=by,
            proportionate=fits,
            proportionality=why,
            missing=missing,
            align_with_partners=align,
        )
        if missing:
            self._block(measure_id, "missing prerequisites: " + "; ".join(missing))
            return
        self.status[measure_id] = "in_progress"
        if council_stages(measure):
            self.send(
                "council.submit",
                measure=measure_id,
                align=align,
                requested_by=[requester] if requester else [],
            )
        elif measure.decision_body in INSTITUTIONS:
            # the Commission, the EEAS or the High Representative alone, after drafting and
            # clearance inside the institution
            delay = self.sample(self.scenario.timings.institution_clearance)
            self.later(delay, self._cleared, measure_id)
        else:
            # a Member State's own decision: nobody else has to agree
            self.emit("measure.prepared", subject=measure_id, by=measure.decision_body)
            self._adopt(measure_id, aligned_with=[])

    def _cleared(self, measure_id: str) -> None:
        if self.status.get(measure_id) != "in_progress":
            return
        measure = self.catalogue[measure_id]
        self.emit("measure.prepared", subject=measure_id, by=measure.decision_body)
        self._adopt(measure_id, aligned_with=[])

    def _prepared(self, event: Event) -> None:
        subject = event.subject
        if (
            subject is not None
            and self.status.get(subject) == "in_progress"
            and not self.state.measure_reached(subject, "prepared")
        ):
            self.emit("measure.prepared", subject=subject, by="hwpci")

    def _decided(self, message: Message) -> None:
        body = message.body
        if body["outcome"] == "adopted":
            self._adopt(body["measure"], aligned_with=body.get("aligned_with", []))
        else:
            self._block(body["measure"], body["reason"])

    def _adopt(self, measure_id: str, aligned_with: list[str]) -> None:
        measure = self.catalogue[measure_id]
        missing = missing_prerequisites(measure, self.state, self.scenario)
        if missing:
            self._block(measure_id, "prerequisites no longer hold: " + "; ".join(missing))
            return
        self.status[measure_id] = "adopted"
        effects = measure.effects
        self.emit(
            "measure.adopted",
            subject=measure_id,
            category=measure.category,
            attribution_grade=effects.attribution_grade,
            deterrence=effects.deterrence,
            escalation_risk=effects.escalation_risk,
            proportionate=proportionate(measure, self.state)[0],
            aligned_with=aligned_with,
        )
        self.later(self.sample(measure.lead_time), self._in_effect, measure_id)

    def _in_effect(self, measure_id: str) -> None:
        self.emit("measure.in_effect", subject=measure_id)

    def _block(self, measure_id: str, reason: str) -> None:
        self.status[measure_id] = "blocked"
        self.emit("measure.blocked", subject=measure_id, reason=reason)
