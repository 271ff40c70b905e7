"""The law in force for the run (docs/machinery.md section 12). Not a body: it states at the
start, in the log, which reporting obligations, bodies and instruments exist, as the scenario's
start date says (NIS1 from 10 May 2018, the CSIRTs network from February 2017, EU-CyCLONe from
29 September 2020, the sanctions framework from 18 May 2019, the Cyber Solidarity Act from
4 February 2025) or as its ``machinery.legal_regime`` sets them. The bodies themselves honour
it (``simulator.scenario.regime.law_of``); this record lets a reader of the log, scoring and
the report know what the run was held to, and which elements were what-ifs.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor
from simulator.scenario.regime import law_of


class Law(Actor):
    scope = "law"

    def start(self) -> None:
        law = law_of(self.scenario)
        framework = law.sanctions_framework_from
        end = self.kernel.end
        self.emit(
            "law.in_force",
            reporting=law.reporting,
            csirts_network=law.csirts_network,
            cyclone=law.cyclone,
            cyber_solidarity_act=law.cyber_solidarity_act,
            sanctions_framework=law.sanctions_framework_at(0.0),
            sanctions_framework_from=(
                round(framework, 4) if framework is not None and framework <= end else None
            ),
            what_if=list(law.what_if),
        )
