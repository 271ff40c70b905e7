"""Countries outside the Union, where a wave can come from (``campaign.waves[].origin``).

ISO 3166-1 alpha-2 codes, as current on ISO/TC 46 N1108 (2023-04-05), taken from the tz
database's ``iso3166.tab`` (its usual English names, a few spelt out), less the 27 Member
States and less the parts of Member States that are inside the Union with a code of their own
(the outermost regions French Guiana, Guadeloupe, Martinique, Réunion, Mayotte and Saint-Martin,
Art 349 and 355(1) TFEU, and the Åland Islands, Art 355(4) TFEU): a wave there is a wave in
France or Finland. The overseas countries and territories (Greenland, New Caledonia, Aruba ...)
are associated with the Union, not part of it (Art 198 and 355(2) TFEU), so NIS2 does not
apply there: they are listed. Kosovo is added under ``XK``, the code the EU uses for it
(ISO leaves it to users).

Nothing of the EU machinery runs in these countries: a wave from one of them spills over into
Member States and is modelled only there (docs/machinery.md section 3, "Adversary").
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from .reference import MEMBER_STATE_ALIASES, MEMBER_STATES
from .suggest import did_you_mean

#: ISO 3166-1 alpha-2 code -> English name, for every country outside the Union
THIRD_COUNTRIES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan",
    "AG": "Antigua and Barbuda", "AI": "Anguilla", "AL": "Albania", "AM": "Armenia",
    "AO": "Angola", "AQ": "Antarctica", "AR": "Argentina", "AS": "American Samoa",
    "AU": "Australia", "AW": "Aruba", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina",
    "BB": "Barbados", "BD": "Bangladesh", "BF": "Burkina Faso", "BH": "Bahrain", "BI": "Burundi",
    "BJ": "Benin", "BL": "Saint Barthélemy", "BM": "Bermuda", "BN": "Brunei", "BO": "Bolivia",
    "BQ": "Caribbean Netherlands", "BR": "Brazil", "BS": "Bahamas", "BT": "Bhutan",
    "BV": "Bouvet Island", "BW": "Botswana", "BY": "Belarus", "BZ": "Belize", "CA": "Canada",
    "CC": "Cocos (Keeling) Islands", "CD": "Democratic Republic of the Congo",
    "CF": "Central African Republic", "CG": "Republic of the Congo", "CH": "Switzerland",
    "CI": "Côte d'Ivoire", "CK": "Cook Islands", "CL": "Chile", "CM": "Cameroon", "CN": "China",
    "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba", "CV": "Cape Verde", "CW": "Curaçao",
    "CX": "Christmas Island", "DJ": "Djibouti", "DM": "Dominica", "DO": "Dominican Republic",
    "DZ": "Algeria", "EC": "Ecuador", "EG": "Egypt", "EH": "Western Sahara", "ER": "Eritrea",
    "ET": "Ethiopia", "FJ": "Fiji", "FK": "Falkland Islands", "FM": "Micronesia",
    "FO": "Faroe Islands", "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada", "GE": "Georgia",
    "GG": "Guernsey", "GH": "Ghana", "GI": "Gibraltar", "GL": "Greenland", "GM": "Gambia",
    "GN": "Guinea", "GQ": "Equatorial Guinea",
    "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala", "GU": "Guam",
    "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong",
    "HM": "Heard Island and McDonald Islands", "HN": "Honduras", "HT": "Haiti", "ID": "Indonesia",
    "IL": "Israel", "IM": "Isle of Man", "IN": "India", "IO": "British Indian Ocean Territory",
    "IQ": "Iraq", "IR": "Iran", "IS": "Iceland", "JE": "Jersey", "JM": "Jamaica", "JO": "Jordan",
    "JP": "Japan", "KE": "Kenya", "KG": "Kyrgyzstan", "KH": "Cambodia", "KI": "Kiribati",
    "KM": "Comoros", "KN": "Saint Kitts and Nevis", "KP": "North Korea", "KR": "South Korea",
    "KW": "Kuwait", "KY": "Cayman Islands", "KZ": "Kazakhstan", "LA": "Laos", "LB": "Lebanon",
    "LC": "Saint Lucia", "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia",
    "LS": "Lesotho", "LY": "Libya", "MA": "Morocco", "MC": "Monaco", "MD": "Moldova",
    "ME": "Montenegro", "MG": "Madagascar", "MH": "Marshall Islands", "MK": "North Macedonia",
    "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia", "MO": "Macau",
    "MP": "Northern Mariana Islands", "MR": "Mauritania", "MS": "Montserrat", "MU": "Mauritius",
    "MV": "Maldives", "MW": "Malawi", "MX": "Mexico", "MY": "Malaysia", "MZ": "Mozambique",
    "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger", "NF": "Norfolk Island", "NG": "Nigeria",
    "NI": "Nicaragua", "NO": "Norway", "NP": "Nepal", "NR": "Nauru", "NU": "Niue",
    "NZ": "New Zealand", "OM": "Oman", "PA": "Panama", "PE": "Peru", "PF": "French Polynesia",
    "PG": "Papua New Guinea", "PH": "Philippines", "PK": "Pakistan",
    "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn", "PR": "Puerto Rico", "PS": "Palestine",
    "PW": "Palau", "PY": "Paraguay", "QA": "Qatar", "RS": "Serbia", "RU": "Russia", "RW": "Rwanda",
    "SA": "Saudi Arabia", "SB": "Solomon Islands", "SC": "Seychelles", "SD": "Sudan",
    "SG": "Singapore", "SH": "Saint Helena", "SJ": "Svalbard and Jan Mayen", "SL": "Sierra Leone",
    "SM": "San Marino", "SN": "Senegal", "SO": "Somalia", "SR": "Suriname", "SS": "South Sudan",
    "ST": "Sao Tome and Principe", "SV": "El Salvador", "SX": "Sint Maarten", "SY": "Syria",
    "SZ": "Eswatini", "TC": "Turks and Caicos Islands", "TD": "Chad",
    "TF": "French Southern Territories", "TG": "Togo", "TH": "Thailand", "TJ": "Tajikistan",
    "TK": "Tokelau", "TL": "Timor-Leste", "TM": "Turkmenistan", "TN": "Tunisia", "TO": "Tonga",
    "TR": "Turkey", "TT": "Trinidad and Tobago", "TV": "Tuvalu", "TW": "Taiwan", "TZ": "Tanzania",
    "UA": "Ukraine", "UG": "Uganda", "UM": "United States Minor Outlying Islands",
    "US": "United States", "UY": "Uruguay", "UZ": "Uzbekistan", "VA": "Vatican City",
    "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela", "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands", "VN": "Vietnam", "VU": "Vanuatu",
    "WF": "Wallis and Futuna", "WS": "Samoa", "XK": "Kosovo", "YE": "Yemen", "ZA": "South Africa",
    "ZM": "Zambia", "ZW": "Zimbabwe",
}

#: parts of Member States inside the Union that ISO 3166 codes apart: code -> (name, Member State)
UNION_TERRITORIES: dict[str, tuple[str, str]] = {
    "AX": ("the Åland Islands", "FI"),
    "GF": ("French Guiana", "FR"),
    "GP": ("Guadeloupe", "FR"),
    "MF": ("Saint-Martin", "FR"),
    "MQ": ("Martinique", "FR"),
    "RE": ("Réunion", "FR"),
    "YT": ("Mayotte", "FR"),
}

assert not set(THIRD_COUNTRIES) & set(MEMBER_STATES), "a Member State among third countries"


def _third_country(code: str) -> str:
    if code in THIRD_COUNTRIES:
        return code
    if code in MEMBER_STATES:
        raise ValueError(
            f"{code} ({MEMBER_STATES[code]}) is a Member State, not a country outside the "
            "Union: list it in targets.member_states instead"
        )
    if code in UNION_TERRITORIES:
        name, member_state = UNION_TERRITORIES[code]
        raise ValueError(
            f"{code} ({name}) is part of {MEMBER_STATES[member_state]}, inside the Union: "
            f"target {member_state} instead"
        )
    if code.upper() in THIRD_COUNTRIES or code.upper() in MEMBER_STATES:
        raise ValueError(f"country codes are upper case: write {code.upper()!r}")
    if code == "UK":
        raise ValueError("'UK' is the EU's code for the United Kingdom; ISO 3166 has 'GB'")
    if code in MEMBER_STATE_ALIASES and MEMBER_STATE_ALIASES[code] in MEMBER_STATES:
        raise ValueError(
            f"{code!r} is the EU's code for {MEMBER_STATES[MEMBER_STATE_ALIASES[code]]}, a "
            "Member State, not a country outside the Union"
        )
    raise ValueError(
        f"unknown country code {code!r}{did_you_mean(code, THIRD_COUNTRIES)}: use the ISO "
        "3166-1 alpha-2 code of a country outside the Union, such as UA, RU, US or GB"
    )


ThirdCountryCode = Annotated[
    str,
    AfterValidator(_third_country),
    WithJsonSchema({"type": "string", "enum": sorted(THIRD_COUNTRIES)}),
]
