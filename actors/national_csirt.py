"""A national CSIRT (NIS2 Art 10, 11 and 23(5)).

It handles the reports of its entities with a limited capacity (a SimPy resource: incidents
handled at once, ``csirt_capacity``), answers each with feedback (Art 23(5): "where possible"
within 24 hours; docs/machinery.md section 9), passes what it learns to the CSIRTs network
(Art 15) and to its single point of contact for the cross-border side (Art 8). When its backlog
reaches its capacity it is *overloaded*: the "beyond one Member State's capacity to respond" of the
large-scale test (Art 6(7)), and, with a significant incident and its own mitigation under way,
the ground for asking the EU Cybersecurity Reserve (Regulation (EU) 2025/38 Art 14). Under the
law of an earlier start (docs/machinery.md section 12) there may be no network to pass the
incident on to (before February 2017) and no Reserve to ask (before 4 February 2025): the log
says so once (``law.not_in_force``) and nothing is sent.
"""

from __future__ import annotations

from typing import Any

import simpy

from simulator.engine.kernel import Actor, Kernel, Message
from simulator.scenario.regime import absent, law_of


class NationalCsirt(Actor):
    def __init__(self, kernel: Kernel, member_state: str) -> None:
        self.member_state = member_state
        self.scope = f"{member_state}.csirt"
        super().__init__(kernel)

    def outgoing(self) -> tuple[str, ...]:
        ms = self.member_state
        return ("csirts_network.report", f"{ms}.spoc.incident", f"{ms}.spoc.reserve")

    def wire(self) -> None:
        ms = self.member_state
        self.capacity = self.kernel.profile(ms).csirt_capacity
        self.desk = simpy.Resource(self.env, capacity=self.capacity)
        self.overloaded = False
        self.handled = 0
        self.reported_waves: set[str] = set()
        self.asked_reserve = False
        # the law in force (docs/machinery.md section 12): before the CSIRTs network, nothing
        # to pass an incident on to; before the Cyber Solidarity Act, no Reserve to ask
        self.law = law_of(self.scenario)
        self.told_no_network = False
        self.on(f"{ms}.csirt.report", self._received)

    def _received(self, message: Message) -> None:
        waiting = len(self.desk.queue) + (1 if self.desk.count >= self.capacity else 0)
        if waiting >= self.capacity and not self.overloaded:
            self.overloaded = True
            self.emit(
                "csirt.overloaded",
                member_state=self.member_state,
                waiting=waiting,
                capacity=self.capacity,
            )
            self._maybe_ask_reserve()
        slot = self.desk.request()
        slot.callbacks.append(lambda _granted: self._work(slot, message.body))

    def _work(self, slot: Any, report: dict[str, Any]) -> None:
        self.later(self.sample(self.scenario.timings.csirt_feedback), self._done, slot, report)

    def _done(self, slot: Any, report: dict[str, Any]) -> None:
        self.desk.release(slot)
        self.handled += 1
        ms = self.member_state
        self.emit(
            "csirt.feedback",
            subject=None,
            member_state=ms,
            entity=report["entity"],
            report=report["report"],
        )
        if report["wave"] not in self.reported_waves:
            self.reported_waves.add(report["wave"])
            if self.law.csirts_network:
                self.send("csirts_network.report", member_state=ms, wave=report["wave"])
            elif not self.told_no_network:
                self.told_no_network = True
                self.emit("law.not_in_force", member_state=ms, body="csirts_network",
                          step=f"{ms}'s CSIRT would pass the incident on to the CSIRTs network",
                          reason=absent("csirts_network", self.law), requested_by=None)
            self.send(f"{ms}.spoc.incident", wave=report["wave"])
        if self.overloaded and not self.desk.queue:
            self.overloaded = False
        self._maybe_ask_reserve()

    def _maybe_ask_reserve(self) -> None:
        ms = self.member_state
        if (
            self.overloaded
            and not self.asked_reserve
            and self.handled > 0
            and ms in self.state.known_significant
            and self.scenario.machinery.reserve.auto_request
        ):
            self.asked_reserve = True
            if self.law.cyber_solidarity_act:
                self.send(f"{ms}.spoc.reserve", reason="national CSIRT overloaded")
            else:
                self.emit("law.not_in_force", member_state=ms, body="reserve",
                          step=f"{ms}, its CSIRT overloaded, would ask for the EU Cybersecurity "
                          "Reserve", reason=absent("cyber_solidarity_act", self.law),
                          requested_by=None)
