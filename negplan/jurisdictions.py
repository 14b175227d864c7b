"""The jurisdictions negplan has compliance profiles for, as ISO 3166 codes.

A case names its jurisdiction as an ISO 3166-1 country (``US``) or ISO 3166-2 subdivision
(``US-CA``, ``GB-SCT``, ``IN-MH``). The code picks the compliance profile, the limitation period
and the public holidays that move payment due dates.
"""

from __future__ import annotations

from typing import Final

from negplan.records import record

#: US states and DC (ISO 3166-2:US); the limitation-period table covers each of them.
US_STATES: Final[dict[str, str]] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

#: The UK's four nations (ISO 3166-2:GB country codes). Limitation and bank holidays differ.
GB_NATIONS: Final[dict[str, str]] = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}

#: Indian states and union territories (ISO 3166-2:IN, including the codes replaced in 2020–23
#: so older case files still load).
IN_STATES: Final[dict[str, str]] = {
    "AN": "Andaman and Nicobar Islands",
    "AP": "Andhra Pradesh",
    "AR": "Arunachal Pradesh",
    "AS": "Assam",
    "BR": "Bihar",
    "CH": "Chandigarh",
    "CG": "Chhattisgarh",
    "CT": "Chhattisgarh",
    "DH": "Dadra and Nagar Haveli and Daman and Diu",
    "DL": "Delhi",
    "GA": "Goa",
    "GJ": "Gujarat",
    "HP": "Himachal Pradesh",
    "HR": "Haryana",
    "JH": "Jharkhand",
    "JK": "Jammu and Kashmir",
    "KA": "Karnataka",
    "KL": "Kerala",
    "LA": "Ladakh",
    "LD": "Lakshadweep",
    "MH": "Maharashtra",
    "ML": "Meghalaya",
    "MN": "Manipur",
    "MP": "Madhya Pradesh",
    "MZ": "Mizoram",
    "NL": "Nagaland",
    "OD": "Odisha",
    "OR": "Odisha",
    "PB": "Punjab",
    "PY": "Puducherry",
    "RJ": "Rajasthan",
    "SK": "Sikkim",
    "TG": "Telangana",
    "TS": "Telangana",
    "TN": "Tamil Nadu",
    "TR": "Tripura",
    "UK": "Uttarakhand",
    "UT": "Uttarakhand",
    "UP": "Uttar Pradesh",
    "WB": "West Bengal",
}

SUBDIVISIONS: Final[dict[str, dict[str, str]]] = {
    "US": US_STATES,
    "GB": GB_NATIONS,
    "IN": IN_STATES,
}
COUNTRY_NAMES: Final[dict[str, str]] = {
    "US": "United States",
    "GB": "United Kingdom",
    "IN": "India",
}


@record
class Jurisdiction:
    """A parsed jurisdiction code: ``country`` plus an optional ``subdivision``."""

    country: str
    subdivision: str | None = None

    @property
    def code(self) -> str:
        return self.country if self.subdivision is None else f"{self.country}-{self.subdivision}"

    @property
    def name(self) -> str:
        country = COUNTRY_NAMES[self.country]
        if self.subdivision is None:
            return country
        return f"{SUBDIVISIONS[self.country][self.subdivision]}, {country}"


def supported_summary() -> str:
    """One line naming what is supported, for error messages."""
    return (
        "supported: US or US-<state> (e.g. US-CA, US-NY, US-DC), GB or GB-ENG/WLS/SCT/NIR, "
        "IN or IN-<state> (e.g. IN-MH, IN-KA)"
    )


def parse_jurisdiction(code: str) -> Jurisdiction:
    """Parse and check a jurisdiction code; ``ValueError`` names the supported ones."""
    country, _, subdivision = code.strip().partition("-")
    if country == "UK":
        raise ValueError(f"unknown jurisdiction {code!r}: the ISO 3166 code for the UK is GB")
    if country not in SUBDIVISIONS:
        raise ValueError(f"unknown jurisdiction {code!r}; {supported_summary()}")
    if not subdivision:
        return Jurisdiction(country)
    if subdivision not in SUBDIVISIONS[country]:
        raise ValueError(f"unknown subdivision {code!r} of {country}; {supported_summary()}")
    return Jurisdiction(country, subdivision)
