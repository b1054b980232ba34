"""Semantic rules registry. (being built)"""

from metta_dash.findings import Finding


def check(dashboard) -> list[Finding]:
    return []


def all_rules() -> list:
    return []
