"""The data that ships inside the package: default rules, compliance profiles, limitation periods
and state disclosures, read once and handed to the core as :class:`~negplan.core.tables.Tables`.

The validated tables are kept in the user cache (:mod:`negplan.io.cache`), keyed on the raw text
of the shipped files, so a run that finds them there parses no YAML or CSV at all.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Any

from negplan.core.case import ContractType, CreditorKind
from negplan.core.tables import (
    GarnishmentRule,
    LimitationPeriod,
    StateContactRule,
    StateDisclosure,
    StateWords,
    Tables,
)

DEFAULT_RULES_FILE = "data/default_rules.yaml"
NEW_CASE_FILE = "data/new_case.yaml"
PROFILES_FILE = "data/compliance/profiles.yaml"
US_LIMITATION_FILE = "data/compliance/us_limitation_periods.csv"
OTHER_LIMITATION_FILE = "data/compliance/limitation.yaml"
DISCLOSURES_FILE = "data/compliance/us_time_barred_disclosures.csv"
GARNISHMENT_FILE = "data/garnishment.csv"
ZONES_FILE = "data/compliance/us_state_zones.csv"
ZIP_ZONES_FILE = "data/compliance/us_zip_zones.csv"
CONTACT_RULES_FILE = "data/compliance/us_state_contact_rules.csv"
RECORDING_FILE = "data/compliance/us_recording_consent.csv"
WORDS_FILE = "data/compliance/us_time_barred_words.yaml"

_TABLE_FILES = (
    PROFILES_FILE,
    US_LIMITATION_FILE,
    OTHER_LIMITATION_FILE,
    DISCLOSURES_FILE,
    GARNISHMENT_FILE,
    ZONES_FILE,
    ZIP_ZONES_FILE,
    CONTACT_RULES_FILE,
    RECORDING_FILE,
    WORDS_FILE,
)


def packaged_text(name: str) -> str:
    """The text of one of negplan's own data files (``data/…``)."""
    return resources.files("negplan").joinpath(name).read_text("utf-8")


def _yaml_data(text: str) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)
    assert isinstance(data, dict)
    return data


def _note_for(contract: str, note: str, sources: int) -> str:
    """The parts of a row's note about this contract type, plus the general caveats."""
    contracts = {c.value for c in ContractType}
    parts = [p.strip() for p in note.split(" | ") if p.strip()]
    mine = [p for p in parts if p.startswith(f"{contract}:")]
    general = [p for p in parts if p.partition(":")[0] not in contracts]
    if not mine and not any(p.startswith("all ") for p in general):
        mine = [f"all {sources} sources agree on {contract}"]
    return "; ".join(mine + general)


def us_limitation_periods(text: str) -> dict[str, dict[str, LimitationPeriod]]:
    """US state periods by code and contract type, each with its source note."""
    table_name = US_LIMITATION_FILE.rsplit("/", 1)[-1]
    table: dict[str, dict[str, LimitationPeriod]] = {}
    for row in csv.DictReader(text.splitlines()):
        sources = len([s for s in row["source"].split("; ") if s.strip()])
        table[row["code"]] = {
            c.value: LimitationPeriod(
                int(row[c.value]),
                f"{row['code']} {c.value}: {row[c.value]} years "
                f"({table_name}; {_note_for(c.value, row['note'], sources)})",
            )
            for c in ContractType
        }
    return table


def _profiles(data: dict[str, Any]) -> dict[str, Any]:
    """Each shipped layer merged over its country's, validated."""
    from negplan.core.compliance.profiles import Profile
    from negplan.io.yaml import deep_merge

    profiles: dict[str, Profile] = {}
    for code, layer in data.items():
        country = code.partition("-")[0]
        merged = layer if code == country else deep_merge(data[country], layer)
        profiles[code] = Profile.model_validate({"code": code, **merged})
    return profiles


def _rows(text: str) -> list[dict[str, str]]:
    """A CSV table's rows; lines starting with ``#`` are the table's notes."""
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def state_contact_rules(text: str) -> tuple[StateContactRule, ...]:
    """The states' own communication caps, each row with its citation (a cap of at least 1)."""
    rows = tuple(
        StateContactRule(
            code=row["code"],
            place=row["place"],
            binds=row["binds"],
            max_in_7_days=int(row["max_in_7_days"]),
            channels=tuple(row["channels"].split(";")),
            counts=row["counts"],
            citation=row["citation"],
            note=row["note"],
        )
        for row in _rows(text)
    )
    for row in rows:
        if row.max_in_7_days < 1 or row.binds not in ("everyone", "collectors"):
            raise ValueError(f"{CONTACT_RULES_FILE}: bad row {row.code}")
    return rows


def build_tables(texts: dict[str, str]) -> Tables:
    """Parse and validate the shipped tables from their file texts."""
    from negplan.io.phones import phone_zones, zone_info

    other = _yaml_data(texts[OTHER_LIMITATION_FILE])
    return Tables(
        profiles=_profiles(_yaml_data(texts[PROFILES_FILE])),
        us_limitation=us_limitation_periods(texts[US_LIMITATION_FILE]),
        other_limitation={
            code: LimitationPeriod(
                int(row["years"]), f"{code}: {int(row['years'])} years ({row['source']})"
            )
            for code, row in other["periods"].items()
        },
        payment_does_not_revive={k: v.strip() for k, v in other["payment_does_not_revive"].items()},
        extinguishes={k: v.strip() for k, v in other["extinguishes"].items()},
        disclosures={
            row["code"]: StateDisclosure(**row)
            for row in csv.DictReader(texts[DISCLOSURES_FILE].splitlines())
        },
        garnishment=garnishment_rules(texts.get(GARNISHMENT_FILE, "")),
        place_zones={
            row["code"]: tuple(row["zones"].split(";")) for row in _rows(texts[ZONES_FILE])
        },
        zip_zones={
            row["prefix"]: tuple(row["zones"].split(";")) for row in _rows(texts[ZIP_ZONES_FILE])
        },
        state_contact_rules=state_contact_rules(texts[CONTACT_RULES_FILE]),
        recording_consent={
            row["code"]: f"{row['state']}: {row['citation']}"
            for row in _rows(texts[RECORDING_FILE])
        },
        phone_zones=phone_zones,
        zone_info=zone_info,
        time_barred_words={
            code: _state_words(code, row) for code, row in _yaml_data(texts[WORDS_FILE]).items()
        },
    )


def garnishment_rules(text: str) -> dict[str, GarnishmentRule]:
    """Wage-garnishment limits by code, each with its source (``data/garnishment.csv``)."""
    from decimal import Decimal

    return {
        row["code"]: GarnishmentRule(
            code=row["code"],
            consumer_wages=row["consumer_wages"] == "yes",
            max_share=Decimal(row["max_share"]),
            protected_weekly=Decimal(row["protected_weekly"]) if row["protected_weekly"] else None,
            source=row["source"],
        )
        for row in csv.DictReader(text.splitlines())
    }


def _state_words(code: str, row: dict[str, Any]) -> StateWords:
    """One state's words; an unknown creditor kind or key fails loudly (shipped data)."""
    data = dict(row)
    kinds = frozenset(CreditorKind(kind) for kind in data.pop("applies_to"))
    replaced = frozenset(data.pop("supersedes", ()))
    place = data.pop("place", code)
    return StateWords(code=code, applies_to=kinds, supersedes=replaced, place=place, **data)


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """The shipped tables, from the user cache when the files are unchanged."""
    from negplan.io.cache import load_or_build

    texts = {name: packaged_text(name) for name in _TABLE_FILES}
    return load_or_build("tables", "\0".join(texts.values()), lambda: build_tables(texts))
