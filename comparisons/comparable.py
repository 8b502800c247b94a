"""Comparable values of fact cells and claims: one spelling per fact, so that two sources
giving the same fact agree and two giving different facts disagree.

A version constraint is compared as a set of PEP 440 specifiers ("3.6+", "≥ 3.6" and
">=3.6" are one value); a licence as its SPDX identifier, case aside; a year as a number.
Imports nothing of Versus but its choices."""

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from .choices import ValueKind

# "3.6+" and "3.6 or later" are how articles write ">=3.6".
_AT_LEAST = re.compile(
    r"^\s*(?:python\s*)?(\d+(?:\.\d+)*)\s*(?:\+|or (?:later|newer|above))\s*$", re.I
)


def comparable_value(value_kind: str, value: str) -> str:
    """The value's one spelling for its kind; raises ValueError when it is not one."""
    value = (value or "").strip()
    if not value:
        return ""
    if value_kind == ValueKind.VERSION_CONSTRAINT:
        at_least = _AT_LEAST.match(value)
        spelt = (
            f">={at_least.group(1)}" if at_least else value.replace("≥", ">=").replace("≤", "<=")
        )
        try:
            specifiers = SpecifierSet(spelt.replace(" ", ""))
        except InvalidSpecifier:
            raise ValueError(
                f"'{value}' is not a version constraint: write it as, e.g., '>=3.10' or '3.10+'."
            ) from None
        return ",".join(sorted(str(specifier) for specifier in specifiers))
    if value_kind == ValueKind.LICENCE:
        if not re.fullmatch(r"[A-Za-z0-9.+\-]+(?: (?:AND|OR|WITH) [A-Za-z0-9.+\-]+)*", value):
            raise ValueError(f"'{value}' is not an SPDX licence identifier, e.g. 'MIT'.")
        return value.upper()
    if value_kind == ValueKind.YEAR:
        if not re.fullmatch(r"\d{4}", value):
            raise ValueError(f"'{value}' is not a year.")
        return value
    raise ValueError("This feature takes no comparable value (its value kind is none).")


def value_error(value_kind: str, value: str) -> str:
    """Why the value cannot be compared, or "" when it can (or is empty)."""
    try:
        comparable_value(value_kind, value)
    except ValueError as error:
        return str(error)
    return ""
