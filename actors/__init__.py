"""One module per body of the EU machinery, plus the adversary, partners and the outside world.

Each module's docstring names the legal text it follows. Actors never import each other: they
read the shared state (a fold of the event log), subscribe to events and send messages, all
through the kernel in ``simulator.engine.kernel``. :func:`build` assembles one of each; bodies
that exist in every Member State (entities, CSIRT, SPoC) are built once per Member State.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Kernel
from simulator.scenario.reference import MEMBER_STATES

from .adversary import Adversary
from .cert_eu import CertEu
from .classification import Classification
from .communication import Communication
from .council import Council
from .csirts_network import CsirtsNetwork
from .cyclone import Cyclone
from .entities import Entities, UnionEntities
from .fimi import Fimi
from .intcen import Intcen
from .law import Law
from .member_states import MemberStates
from .national_csirt import NationalCsirt
from .outside import Outside
from .partners import Partners
from .presidency import Presidency
from .reserve import Reserve
from .spoc import Spoc
from .toolbox import Toolbox
from .treaty import Treaty

#: bodies of the Union (one each), in the order they are built and started
UNION_BODIES: tuple[type[Actor], ...] = (
    Law,  # not a body: it states the law in force first (docs/machinery.md section 12)
    Classification,
    CertEu,
    UnionEntities,
    CsirtsNetwork,
    Cyclone,
    Presidency,
    Intcen,
    MemberStates,
    Council,
    Toolbox,
    Reserve,
    Treaty,
    Communication,
    Partners,
    Outside,
    Fimi,
    Adversary,
)

#: bodies every Member State has
NATIONAL_BODIES = (Entities, NationalCsirt, Spoc)


def build(kernel: Kernel) -> list[Actor]:
    actors: list[Actor] = [cls(kernel) for cls in UNION_BODIES]
    for ms in sorted(MEMBER_STATES):
        actors.extend(cls(kernel, ms) for cls in NATIONAL_BODIES)  # type: ignore[call-arg]
    return actors
