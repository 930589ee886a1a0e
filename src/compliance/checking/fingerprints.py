"""A finding's identity across runs and years: its rule and its subject, never its number or words.

Why: a baseline, a waiver in the store and the 整改 history must recognise the
same problem next year, after the records were reordered, the findings
renumbered, the YAML reformatted or a message reworded. So the fingerprint hashes
only the project's identity (name and department, not the year or the file),
the rule id and the subject's kind and key, each normalised (Unicode NFKC,
whitespace removed) so a full-width space or a line break does not make a new
finding.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from compliance.checking.findings import Finding

VERSION = "compliance-finding/v2"
"""Changes whenever what the hash covers changes, so old and new never silently mix."""


def normalise(text: str) -> str:
    """NFKC, without any whitespace: the form two spellings of one name share."""
    if not text.isascii():  # ASCII (rule ids, kinds, most keys) is its own NFKC form
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def project_identity(name: str, department: str | None) -> str:
    """The project across years: its normalised name and department (empty when unknown)."""
    return f"{normalise(name)}|{normalise(department or '')}"


@lru_cache(maxsize=4096)
def fingerprint(project: str, rule: str, kind: str, key: str) -> str:
    """The stable id of a finding (32 hex digits) from ``project_identity`` and rule and subject.

    Remembered for the last few thousand findings: a checked project asks for each of
    its findings' fingerprints about five times (review, JSON, counts, ``--fail-on``).
    """
    parts = [VERSION, project, normalise(rule).upper(), normalise(kind), normalise(key)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def of_finding(project: str, finding: Finding) -> str:
    """The fingerprint of a checked finding of the project ``project`` (a ``project_identity``)."""
    return fingerprint(project, finding.rule, finding.subject.type, finding.subject.key)
