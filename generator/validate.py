"""Checks that turn a plan and its figures into findings. (Being written.)"""
from __future__ import annotations

from .figures import Figures
from .findings import Finding
from .model import Plan


def validate(plan: Plan, figures: Figures) -> list[Finding]:
    return list(plan.read_findings)
