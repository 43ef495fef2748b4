"""BundID's vocabulary: trust levels (STORK-QAA) and attribute OIDs (shared
integrations.md §3), and the names services use for them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Login per service: not offered, optional, required.
LOGIN_NONE, LOGIN_OPTIONAL, LOGIN_REQUIRED = "none", "optional", "required"

# Trust levels a service may ask for, and their STORK-QAA level.
# STORK levels 1-4 are BASIC/LOW/SUBSTANTIAL/HIGH; BundID's user name and
# password is level 1, ELSTER certificates 3, the online ID card 4.
STORK = {"basic": 1, "substantial": 3, "high": 4}
LEVEL_LABELS = {"basic": _("basic"), "substantial": _("substantial"), "high": _("high")}


def stork_ref(level: str) -> str:
    return f"STORK-QAA-Level-{STORK[level]}"


def level_name(stork: int) -> str:
    """The highest named level a STORK level reaches ("basic" for 1 and 2)."""
    if stork >= STORK["high"]:
        return "high"
    return "substantial" if stork >= STORK["substantial"] else "basic"


def parse_stork(text: str | None) -> int:
    """2 for "STORK-QAA-Level-2"; 0 for anything else."""
    value = (text or "").strip()
    if value.startswith("STORK-QAA-Level-") and value[-1:] in "1234" and len(value) == len("STORK-QAA-Level-") + 1:
        return int(value[-1])
    return 0


# The attributes we use, by our name: (OID, label).
ATTRIBUTES: dict[str, str] = {
    "pseudonym": "1.3.6.1.4.1.25484.494450.3",  # bPK2, stable per citizen
    "given_names": "2.5.4.42",
    "family_name": "2.5.4.4",
    "birth_date": "1.2.40.0.10.2.1.1.55",
    "birth_place": "1.3.6.1.5.5.7.9.2",
    "street": "2.5.4.16",
    "postal_code": "2.5.4.17",
    "city": "2.5.4.7",
    "email": "0.9.2342.19200300.100.1.3",
}
TRUST_LEVEL_OID = "1.2.40.0.10.2.1.1.261.94"  # EID-CITIZEN-QAA-LEVEL


def oid_of(name: str) -> str:
    """'urn:oid:1.2.3' or 'urn:oid: 1.2.3' (seen in the wild) -> '1.2.3'."""
    value = name.strip()
    if value.lower().startswith("urn:oid:"):
        value = value[len("urn:oid:") :].strip()
    return value
