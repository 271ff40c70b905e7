"""A Member State's single point of contact (NIS2 Art 8 and Art 23(6)).

When an incident its CSIRT handles is cross-border (reported in two or more Member States,
docs/machinery.md section 4), the SPoC informs the other affected Member States and ENISA. It is
also the channel for requests to the EU Cybersecurity Reserve (Regulation (EU) 2025/38 Art 14(3)),
which say whether the requester has already taken its own mitigation measures.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Kernel, Message
from simulator.engine.triggers import Compiled

#: cross-border: the CSIRTs network, which the SPoCs' CSIRTs sit in, knows of the incident in
#: two Member States or more (docs/machinery.md section 4)
CROSS_BORDER = Compiled(
    lambda s: len(s.eu_known) >= 2,
    frozenset({"csirts_network.informed"}),
    frozenset(),
)


class Spoc(Actor):
    def __init__(self, kernel: Kernel, member_state: str) -> None:
        self.member_state = member_state
        self.scope = f"{member_state}.spoc"
        super().__init__(kernel)

    def outgoing(self) -> tuple[str, ...]:
        return ("reserve.request",)

    def wire(self) -> None:
        ms = self.member_state
        self.incident = False
        self.requests = 0
        self.on(f"{ms}.spoc.incident", self._incident)
        self.on(f"{ms}.spoc.reserve", self._reserve)
        self.on("effect.request_reserve", self._requested)

    def _incident(self, message: Message) -> None:
        if not self.incident:
            self.incident = True
            # cross-border: a second Member State's CSIRT has passed it on, now or later
            # (docs/machinery.md section 4); what the SPoCs know, not how far the adversary
            # has really got
            self.kernel.when(CROSS_BORDER, self._cross)

    def _cross(self) -> None:
        self.later(self.sample(self.scenario.timings.spoc_cross_border), self._inform)

    def _inform(self) -> None:
        ms = self.member_state
        others = sorted(m for m in self.state.eu_known if m != ms)
        self.emit("spoc.cross_border", member_state=ms, informed=[*others, "ENISA"])

    def _requested(self, message: Message) -> None:
        spec = message.body["effect"].request_reserve
        if spec.member_state == self.member_state:
            self._ask(spec.sector, message.source)

    def _reserve(self, message: Message) -> None:
        self._ask(None, message.body.get("reason", "national request"))

    def _ask(self, sector: str | None, reason: str) -> None:
        ms = self.member_state
        self.requests += 1
        mitigation = self.state.count("csirt.feedback", None, ms) > 0
        request = f"{ms}-R{self.requests}"
        self.emit(
            "reserve.requested",
            member_state=ms,
            request=request,
            sector=sector,
            reason=reason,
            own_mitigation=mitigation,
        )
        self.send(
            "reserve.request", member_state=ms, request=request, sector=sector,
            own_mitigation=mitigation,
        )
