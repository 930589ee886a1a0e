"""compliance: rule-based checks of public-expenditure performance evaluations.

The flow, one subpackage a stage: ``records`` (load what a project's records say)
→ ``rules`` (the YAML rule pack) → ``engine`` (durable-rules runs the compiled
rules) → ``checking`` (findings with evidence, recommendations) → ``scoring``
(100-point profiles) → ``output`` (text, JSON, Markdown, reports) → ``cli``.

``compliance.check(paths, rules=None, params=None)`` is the Python entry point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "check"]

if TYPE_CHECKING:
    from compliance.api import check


def __getattr__(name: str) -> Any:
    """Import the API on first use, so ``compliance --help`` stays light."""
    if name == "check":
        from compliance.api import check

        return check
    raise AttributeError(f"module 'compliance' has no attribute {name!r}")
