"""Open a findings store by URL and bring its schema up to date with the shipped migrations.

Why Alembic even for a new file: a store outlives tool versions; every open runs
the migrations the wheel ships, so an older store is upgraded in place and a new
one is created by the same path that production databases take.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from compliance.core.errors import InputError
from compliance.review.store import DEFAULT_URL

__all__ = ["DEFAULT_URL", "Store", "store_url"]

MIGRATIONS = Path(__file__).with_name("migrations")


def store_url(text: str) -> str:
    """A SQLAlchemy URL from what the user typed: a URL, or a path to an SQLite file.

    ``postgresql://`` and ``postgres://`` use psycopg 3, the driver installed with the tool.
    """
    if "://" not in text:
        return f"sqlite:///{Path(text)}"
    for scheme in ("postgresql://", "postgres://"):
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme) :]
    return text


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """A connected, migrated store; ``session()`` gives a transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def shown(self) -> str:
        """The URL without its password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, text: str) -> Store:
        """Connect and migrate; a bad URL or an unreachable server is bad input (exit 2)."""
        url = store_url(text)
        try:
            engine = create_engine(url)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_foreign_keys)
            store = cls(engine)
            store.migrate()
        except (ArgumentError, NoSuchModuleError) as exc:
            raise InputError.single("--store", f"not a database URL '{text}': {exc}") from None
        except SQLAlchemyError as exc:
            shown = url.split("@")[-1] if "@" in url else url
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise InputError.single("--store", f"cannot open the store {shown}: {reason}") from None
        return store

    def migrate(self) -> None:
        """Upgrade the schema to the newest shipped revision."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed at the end of the block, rolled back on an error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()
