"""The CSIRTs network (NIS2 Art 15).

It aggregates what members report, shares indicators (which shorten detection elsewhere;
a member may decline to share, e.g. to protect an investigation), raises its alert mode as
more Member States report, escalates to EU-CyCLONe from the scenario's chosen mode upwards
(by itself once a Member State is known to be significantly impacted; at once on a decision),
and issues a joint public statement some days after the technical exchange begins (Log4Shell:
six days after disclosure). No public alert scale exists, so the modes and the number of
reporting Member States that raise each are scenario parameters (docs/machinery.md section 4).
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event
from simulator.engine.triggers import Compiled
from simulator.scenario.regime import absent, law_of

#: a Member State significantly impacted, known at EU level: the incident may be large-scale,
#: which is what EU-CyCLONe is for (NIS2 Art 16(1)); a campaign that steals data and disrupts
#: little is handled by the network at the technical level
IMPACTED = Compiled(
    lambda s: bool(s.eu_impacted),
    frozenset({"adversary.impact", "csirts_network.informed"}),
    frozenset(),
)

#: the technical exchange a joint statement sums up: indicators shared, on members' reports or
#: on a vendor's disclosure (Log4Shell: no member had a significant incident to report)
EXCHANGED = Compiled(
    lambda s: s.indicators_shared,
    frozenset({"csirts_network.indicators_shared"}),
    frozenset(),
)


class CsirtsNetwork(Actor):
    scope = "csirts_network"
    sends = ("cyclone.escalation",)

    def wire(self) -> None:
        self.params = self.scenario.machinery.csirts_network
        self.modes = self.params.alert_modes
        self.escalate_at = self.modes.index(self.params.escalate_to_cyclone_at)
        self.reporting: list[str] = []
        self.mode = 0
        self.raising = 0  # the mode a pending alert will set
        self.escalated = False
        self.sharing_pending = False
        self.shared: set[str] = set()
        self.exchange_started = False
        self.statement = "pending"  # pending | scheduled | withheld | issued
        # the law in force (docs/machinery.md section 12): before the network first met
        # (February 2017) no member passes anything on to it (national CSIRTs say so), no
        # disclosure starts an exchange, and a request for it is refused
        self.law = law_of(self.scenario)
        if not self.law.csirts_network:
            for topic in ("csirts_network.report", "csirts_network.union"):
                self.on(topic, lambda _message: None)
            self.on("effect.csirts_network_alert", self._absent)
            self.on("effect.joint_statement", self._absent)
            return
        self.on("csirts_network.report", self._report)
        self.on("csirts_network.union", self._union)
        self.on("external.vendor_disclosure", self._disclosure)
        self.on("effect.csirts_network_alert", self._set_alert)
        self.on("effect.joint_statement", self._statement_decision)

    def _absent(self, message: Message) -> None:
        name = "alert" if "csirts_network_alert" in message.topic else "joint statement"
        self.emit("law.not_in_force", body="csirts_network",
                  step=f"the CSIRTs network would set its {name} on request",
                  reason=absent("csirts_network", self.law), requested_by=message.source)

    # -- reports and indicators -------------------------------------------------------------

    def _report(self, message: Message) -> None:
        ms = message.body["member_state"]
        if ms not in self.reporting:
            self.reporting.append(ms)
        # the EU level knows of an incident from here (docs/machinery.md section 4): the
        # classification, EU-CyCLONe and the SPoCs' cross-border picture read this, not what
        # entities told their own CSIRT
        self.emit("csirts_network.informed", subject=message.body["wave"], member_state=ms,
                  wave=message.body["wave"], reporting=len(self.reporting))
        self._start_exchange()
        target = max(
            (i for i in range(len(self.modes)) if len(self.reporting) >= self.params.threshold(i)),
            default=0,
        )
        if target > max(self.mode, self.raising):
            self.raising = target
            self.later(self.sample(self.scenario.timings.csirts_network_alert), self._raise,
                       target)
        if not self.sharing_pending and set(self.reporting) - self.shared:
            self.sharing_pending = True
            self.later(self.sample(self.scenario.timings.csirts_network_alert), self._share)

    def _share(self) -> None:
        self.sharing_pending = False
        new = [ms for ms in self.reporting if ms not in self.shared]
        self.shared.update(new)
        sharing = [ms for ms in new if self.rng.random() >= self.params.decline_to_share]
        if sharing:
            self.emit(
                "csirts_network.indicators_shared",
                member_states=sharing,
                declined=[ms for ms in new if ms not in sharing],
            )

    def _union(self, message: Message) -> None:
        """CERT-EU, a member, passes on an incident in the Union entities: the exchange
        starts and indicators go round, without a Member State to count towards the alert."""
        self._start_exchange()
        self.later(self.sample(self.scenario.timings.csirts_network_alert), self._advise,
                   "CERT-EU's report on the Union entities")

    def _disclosure(self, event: Event) -> None:
        """A vendor's disclosure starts the network's technical exchange on it: indicators and
        hunting advice circulate among the members (Log4Shell: within days of disclosure),
        whether or not a Member State has reported yet."""
        self._start_exchange()
        self.later(self.sample(self.scenario.timings.csirts_network_alert), self._advise,
                   f"vendor disclosure {event.subject or ''}".strip())

    def _advise(self, about: str) -> None:
        self.shared.update(self.reporting)
        self.emit("csirts_network.indicators_shared", member_states=list(self.reporting),
                  declined=[], on=about)

    # -- alert modes ------------------------------------------------------------------------

    def _raise(self, index: int) -> None:
        if index > self.mode:
            # the reason is the picture when the alert goes out, as its list of Member States
            n = len(self.reporting)
            self._set(index, f"{n} Member State{'s' if n != 1 else ''} reporting")

    def _set_alert(self, message: Message) -> None:
        index = self.modes.index(message.body["effect"].csirts_network_alert)
        self.raising = max(self.raising, index)
        self._set(index, message.source, requested=True)

    def _set(self, index: int, reason: str, requested: bool = False) -> None:
        if index == self.mode:
            return
        previous, self.mode = self.modes[self.mode], index
        self.emit(
            "csirts_network.alert",
            mode=self.modes[index],
            previous=previous,
            reason=reason,
            member_states=list(self.reporting),
        )
        if index >= self.escalate_at and not self.escalated:
            self.escalated = True
            if requested:
                self._escalate(self.modes[index])
            else:
                # by itself the network escalates an incident that disrupts, not one that only
                # steals data, however many Member States report it
                self.kernel.when(IMPACTED, lambda: self._escalate(self.modes[self.mode]))

    def _escalate(self, mode: str) -> None:
        self.send("cyclone.escalation", mode=mode)

    # -- the joint public statement ---------------------------------------------------------

    def _start_exchange(self) -> None:
        if self.exchange_started:
            return
        self.exchange_started = True
        if self.statement == "pending":
            self.statement = "scheduled"
            self.later(self.sample(self.scenario.timings.joint_statement), self._issue, "scheduled")

    def _statement_decision(self, message: Message) -> None:
        if message.body["effect"].joint_statement:
            self._issue("decision")
        elif self.statement in ("pending", "scheduled"):
            self.statement = "withheld"

    def _issue(self, how: str) -> None:
        if self.statement in ("issued", "withheld") and how == "scheduled":
            return
        if self.statement == "issued":
            return
        if not self.state.indicators_shared:
            # a joint statement sums up a technical exchange, decided or due: it waits for one
            # rather than speak of nothing
            self.kernel.when(EXCHANGED, lambda: self._issue(how))
            return
        self.statement = "issued"
        self.emit(
            "csirts_network.joint_statement",
            with_bodies=["ENISA", "CERT-EU", "Commission"],
            member_states=list(self.reporting),
            trigger=how,
        )
