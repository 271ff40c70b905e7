"""The kernel's rules that every actor relies on: the bus, dispatch order, triggers, wiring."""

from __future__ import annotations

import pytest

from simulator.engine import Simulation
from simulator.engine.kernel import Actor, Kernel, NoReceiver, WiringError
from simulator.scenario.conditions import AllOf, OnEvent
from simulator.scenario.loader import load_scenario

from .conftest import ROOT


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROOT / "tests" / "data" / "minimal.yaml").scenario


def test_a_message_arrives_after_its_latency(scenario):
    """send(topic, latency=L) reaches every subscriber L minutes later, not before."""
    kernel = Kernel(scenario, 1, 10_000)
    seen: list[tuple[float, str, dict]] = []
    kernel.subscribe("test.topic", lambda m: seen.append((kernel.env.now, m.sender, m.body)))
    kernel.send("test.topic", "sender", latency=90.0, value=1)
    kernel.env.run(until=89.0)
    assert seen == []
    kernel.env.run(until=100.0)
    assert seen == [(90.0, "sender", {"value": 1})]


def test_a_message_nobody_receives_is_an_error(scenario):
    """A message to a topic without receivers is a wiring defect, never silently dropped."""
    kernel = Kernel(scenario, 1, 10_000)
    with pytest.raises(NoReceiver, match="no actor receives"):
        kernel.send("nobody.listens", "sender")


def test_dispatch_is_breadth_first(scenario):
    """Every subscriber sees an event before anyone sees what the event caused."""
    kernel = Kernel(scenario, 1, 10_000)
    order: list[str] = []

    def first(event):
        order.append(f"first saw {event.kind}")
        if event.kind == "cyclone.activated":
            kernel.emit("cyclone.assessment", "cyclone")

    kernel.subscribe("cyclone.activated", first)
    kernel.subscribe("cyclone.activated", lambda e: order.append(f"second saw {e.kind}"))
    kernel.subscribe("cyclone.assessment", lambda e: order.append(f"third saw {e.kind}"))
    kernel.emit("cyclone.activated", "cyclone")
    assert order == [
        "first saw cyclone.activated",
        "second saw cyclone.activated",
        "third saw cyclone.assessment",
    ]
    assert [e.kind for e in kernel.log] == ["cyclone.activated", "cyclone.assessment"]


def test_an_unknown_kind_is_refused(scenario):
    """The engine emits nothing that simulator/kinds.py does not document."""
    kernel = Kernel(scenario, 1, 10_000)
    with pytest.raises(WiringError, match="does not list"):
        kernel.emit("cyclone.teatime", "cyclone")


def test_a_trigger_fires_once_when_its_condition_first_holds(scenario):
    """when() calls back once: at once if the condition holds, else at the event that makes
    it hold, and an after: part comes due at its own time, not at the next event."""
    kernel = Kernel(scenario, 1, 10_000)
    fired: list[float] = []
    condition = AllOf.model_validate({"all": [{"event": "cyclone.activated"}, {"after": "2h"}]})
    kernel.when(condition, lambda: fired.append(kernel.env.now))
    kernel.later(30.0, kernel.emit, "cyclone.activated", "cyclone")
    kernel.later(500.0, kernel.emit, "cyclone.activated", "cyclone")
    kernel.env.run(until=1_000.0)
    assert fired == [120.0]
    now: list[float] = []
    kernel.when(OnEvent.model_validate({"event": "cyclone.activated"}), lambda: now.append(1))
    assert now == [1]


def test_the_world_is_checked_before_it_runs(monkeypatch):
    """An actor that sends a message no actor receives stops the build, before any event of
    the machinery: the run fails at once, saying what is miswired."""
    from actors.cyclone import Cyclone

    monkeypatch.setattr(Cyclone, "sends", ("cyclone.nowhere",))
    sim = Simulation(load_scenario(ROOT / "tests" / "data" / "minimal.yaml"), 1)
    result = sim.run()
    assert [e.kind for e in result.events] == ["run.started", "run.failed"]
    assert result.error is not None
    assert result.error.startswith("WiringError: cyclone sends 'cyclone.nowhere'")


def test_actors_draw_from_their_own_streams(scenario):
    """Each actor's generator is its own, named by its scope, derived from the run seed."""
    kernel = Kernel(scenario, 7, 10_000)

    class One(Actor):
        scope = "one"

    class Two(Actor):
        scope = "two"

    a, b = One(kernel), Two(kernel)
    assert a.rng is kernel.streams("one") and b.rng is kernel.streams("two")
    assert a.rng.random() != b.rng.random()


def test_a_trigger_can_wait_for_a_payload_value():
    """``where`` selects events by payload: the trigger fires at the large-scale tier, not at
    the first tier change; asked once the event is in the log, it holds at once."""
    loaded = load_scenario(ROOT / "scenarios" / "ransomware-hospitals.yaml")
    condition = OnEvent.model_validate(
        {"event": {"kind": "classification.tier", "where": {"tier": "large_scale"}}}
    )
    sim = Simulation(loaded, 3)
    fired: list[float] = []
    sim.kernel.when(condition, lambda: fired.append(sim.now))
    result = sim.run()
    tiers = {e.payload["tier"]: e.t for e in result.events if e.kind == "classification.tier"}
    assert tiers["significant"] < tiers["large_scale"]
    assert fired == [tiers["large_scale"]]
    late: list[int] = []
    sim.kernel.when(condition, lambda: late.append(1))
    assert late == [1]
