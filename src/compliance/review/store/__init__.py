"""The findings store: every run, its inputs and findings, and reviewers' decisions.

Importing this package is cheap (the command line reads :data:`DEFAULT_URL`);
SQLAlchemy and Alembic load with :mod:`compliance.review.store.database`.
"""

DEFAULT_URL = "sqlite:///compliance.db"
"""``--store`` without a URL: the file ``compliance.db`` in the working directory."""
