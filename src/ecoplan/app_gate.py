"""The `--fail-on` gate, without typer: which unmet indicators make a command exit 1."""

from __future__ import annotations


def gate_failed(summary: object, fail_on: object) -> bool:
    """Whether a summary fails the gate `fail_on` (never | not_met | constraint, or the FailOn enum) names."""
    name = getattr(fail_on, "value", fail_on)
    if name == "never":
        return False
    if name == "not_met":
        return getattr(summary, "not_met", 0) > 0
    return getattr(summary, "constraint_not_met", 0) > 0
