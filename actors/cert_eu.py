"""CERT-EU, the Cybersecurity Service for the Union institutions, bodies, offices and agencies
(Regulation (EU) 2023/2841).

Union entities report their significant incidents to it (Art 21), as entities of a Member State
report to their national CSIRT; it answers them, and, being a member of the CSIRTs network
(NIS2 Art 15(1)), passes the incident on to it the first time a wave reaches the Union
entities (``cert_eu.informed``), which starts the network's technical exchange. The Union
entities belong to no Member State: they count for no Member State's impact nor for the
large-scale test of NIS2 Art 6(7), which is about Member States.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.kernel import Actor, Message


class CertEu(Actor):
    scope = "cert_eu"
    sends = ("csirts_network.union",)

    def wire(self) -> None:
        self.waves: set[str] = set()
        self.on("cert_eu.report", self._received)

    def _received(self, message: Message) -> None:
        self.later(self.sample(self.scenario.timings.csirt_feedback), self._answer, message.body)

    def _answer(self, report: dict[str, Any]) -> None:
        self.emit("cert_eu.feedback", subject=report["wave"], entity=report["entity"],
                  report=report["report"])
        if report["wave"] not in self.waves:
            self.waves.add(report["wave"])
            self.emit("cert_eu.informed", subject=report["wave"], wave=report["wave"])
            self.send("csirts_network.union", wave=report["wave"])
