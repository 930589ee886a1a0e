"""Scores out of 100 under a scoring profile (评分方案), with a reason on every line.

``load_profile`` reads a profile; ``score_project`` applies it to a checked
project and returns a :class:`Scorecard` (lines, total, grade, checks of the
form's own claimed scores).
"""

from __future__ import annotations

from compliance.scoring.profile import (
    DEFAULT_PROFILES,
    LoadedProfile,
    Profile,
    load_profile,
    shipped,
)
from compliance.scoring.scorer import Scorecard, ScoreCheck, ScoreLine, score_project

__all__ = [
    "DEFAULT_PROFILES",
    "LoadedProfile",
    "Profile",
    "ScoreCheck",
    "ScoreLine",
    "Scorecard",
    "load_profile",
    "score_project",
    "shipped",
]
