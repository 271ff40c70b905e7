"""Reference data built into the format: Member States, NIS2 sectors, the bodies of the EU
machinery, the levels of docs/machinery.md section 2.

Scenarios refer to these by id and override only what differs (docs/machinery.md: "what is not
public becomes a scenario parameter").
"""

from __future__ import annotations

from typing import Literal, get_args

#: the 27 Member States by ISO 3166-1 alpha-2 code. Greece is ``GR`` (ISO), not the EU's ``EL``.
MEMBER_STATES: dict[str, str] = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "HR": "Croatia",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DK": "Denmark",
    "EE": "Estonia",
    "FI": "Finland",
    "FR": "France",
    "DE": "Germany",
    "GR": "Greece",
    "HU": "Hungary",
    "IE": "Ireland",
    "IT": "Italy",
    "LV": "Latvia",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "MT": "Malta",
    "NL": "Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "ES": "Spain",
    "SE": "Sweden",
}

#: codes people plausibly type for a Member State, and what they mean
MEMBER_STATE_ALIASES: dict[str, str] = {"EL": "GR", "UK": "not a Member State since 2020"}

#: NIS2 (Directive (EU) 2022/2555) Annex I, sectors of high criticality
NIS2_ANNEX_I: dict[str, str] = {
    "energy": "Energy (electricity, district heating and cooling, oil, gas, hydrogen)",
    "transport": "Transport (air, rail, water, road)",
    "banking": "Banking",
    "financial_market_infrastructure": "Financial market infrastructures",
    "health": "Health",
    "drinking_water": "Drinking water",
    "waste_water": "Waste water",
    "digital_infrastructure": "Digital infrastructure (IXPs, DNS, TLDs, cloud, data centres, "
    "CDNs, trust services, public electronic communications)",
    "ict_service_management": "ICT service management (business-to-business)",
    "public_administration": "Public administration",
    "space": "Space",
}

#: NIS2 Annex II, other critical sectors
NIS2_ANNEX_II: dict[str, str] = {
    "postal_courier": "Postal and courier services",
    "waste_management": "Waste management",
    "chemicals": "Manufacture, production and distribution of chemicals",
    "food": "Production, processing and distribution of food",
    "manufacturing": "Manufacturing (medical devices, electronics, machinery, vehicles)",
    "digital_providers": "Digital providers (marketplaces, search engines, social networks)",
    "research": "Research",
}

#: organisations that attacks hit but NIS2 does not cover: they have no obligation to report
#: (they may notify voluntarily, Art 30), so the EU level learns of them only through others
OUTSIDE_NIS2: dict[str, str] = {
    "political_parties": "Political parties and campaigns (outside NIS2)",
    "media": "Broadcasters, press and news agencies (outside NIS2)",
    "civil_society": "Non-governmental organisations and think tanks (outside NIS2)",
}

SECTORS: dict[str, str] = {**NIS2_ANNEX_I, **NIS2_ANNEX_II, **OUTSIDE_NIS2}

Sector = Literal[
    "energy",
    "transport",
    "banking",
    "financial_market_infrastructure",
    "health",
    "drinking_water",
    "waste_water",
    "digital_infrastructure",
    "ict_service_management",
    "public_administration",
    "space",
    "postal_courier",
    "waste_management",
    "chemicals",
    "food",
    "manufacturing",
    "digital_providers",
    "research",
    "political_parties",
    "media",
    "civil_society",
]
assert set(get_args(Sector)) == set(SECTORS), "Sector literal out of step with SECTORS"

#: how critical a sector is in a given Member State (drives impact and the significance test)
Criticality = Literal["low", "medium", "high", "critical"]

#: docs/machinery.md section 2: the four levels/tracks. The two political tracks are never merged.
Level = Literal["technical", "operational", "political_crisis", "foreign_policy"]

#: the bodies of the EU machinery (docs/machinery.md section 3), as ids used in MSELs and event
#: kinds
EU_BODIES: dict[str, str] = {
    "csirts_network": "CSIRTs network (NIS2 Art 15)",
    "cyclone": "EU-CyCLONe (NIS2 Art 16)",
    "enisa": "ENISA",
    "cert_eu": "CERT-EU",
    "commission": "European Commission",
    "presidency": "Council Presidency",
    "gsc": "General Secretariat of the Council",
    "ipcr": "Integrated Political Crisis Response",
    "intcen": "EU INTCEN (SIAC)",
    "eeas": "European External Action Service",
    "hwpci": "Horizontal Working Party on Cyber Issues",
    "psc": "Political and Security Committee",
    "coreper": "COREPER",
    "council": "Council of the EU",
    "high_representative": "High Representative",
    "europol_ec3": "Europol EC3",
}

#: bodies each Member State has, addressed as ``DE.csirt``, ``FR.spoc`` ...
NATIONAL_BODIES: dict[str, str] = {
    "csirt": "national CSIRT",
    "spoc": "single point of contact (NIS2 Art 8)",
    "authority": "national cyber crisis management authority (NIS2 Art 9)",
    "government": "national government",
    "intelligence": "national intelligence services",
    "permrep": "permanent representation in Brussels",
    "entities": "affected essential and important entities",
}

#: senders and receivers that are not bodies of the machinery
OTHER_PARTICIPANTS: dict[str, str] = {
    "exercise_control": "exercise control (the facilitators)",
    "all_players": "every player",
    "media": "simulated news media",
    "social_media": "simulated social media",
    "adversary": "the threat actor",
    "vendor": "a technology vendor",
}

#: the default Toolbox measure ids, by the 2017 framework's categories (docs/machinery.md section 6)
ToolboxCategory = Literal["preventive", "cooperative", "stability", "restrictive", "support"]

#: docs/machinery.md section 4: the default four-tier classification, in escalating order
Tier = Literal["below_threshold", "significant", "large_scale", "cyber_crisis"]
TIERS: tuple[str, ...] = get_args(Tier)

#: docs/machinery.md section 5: IPCR modes, in escalating order
IpcrMode = Literal["none", "monitoring", "information_sharing", "full_activation"]
IPCR_MODES: tuple[str, ...] = get_args(IpcrMode)

#: Traffic Light Protocol 2.0 labels
Tlp = Literal["clear", "green", "amber", "amber+strict", "red"]


# --------------------------------------------------------------------------------------------
# the engine's own pace: the actors act by these, and the validator's cost bounds
# (``checks.cost``) count by them, so neither can drift from the other

#: the shortest wait between two repetitions of a periodic process, in minutes: a scenario's
#: interval of 0 cannot make a process repeat without time passing
MIN_INTERVAL = 1.0
#: how often the adversary escalates at most; each escalation doubles its spread rate
MAX_ESCALATION = 3
#: what a vendor's patch leaves of a spread attempt's chance, for the vectors a patch stops
PATCHED_SPREAD = 0.5
PATCHABLE_VECTORS = frozenset({"vulnerability_exploitation", "supply_chain", "faulty_update"})
#: the FIMI track's rhythm: every live narrative is amplified once a round (minutes)
FIMI_ROUND = 12 * 60.0
