"""Store fixtures: the same tests on SQLite (a temporary file) and on a real PostgreSQL server.

PostgreSQL comes from ``.ci/with-postgres`` (``make test`` runs pytest under it):
a throwaway cluster on 127.0.0.1 whose URL is in COMPLIANCE_TEST_POSTGRES_URL.
Each test gets a database of its own, dropped afterwards. Without the variable
the PostgreSQL runs skip, except in CI, where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

POSTGRES_ENV = "COMPLIANCE_TEST_POSTGRES_URL"
YEAR1 = ROOT / "tests" / "data" / "review" / "archive-2022"
YEAR2 = ROOT / "tests" / "data" / "review" / "archive-2023"


def _postgres_database() -> Iterator[str]:
    import psycopg

    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = f"{POSTGRES_ENV} not set: run under .ci/with-postgres (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty store: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'compliance.db'}"
    else:
        yield from _postgres_database()
