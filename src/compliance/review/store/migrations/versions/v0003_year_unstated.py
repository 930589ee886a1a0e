"""A checked project's year may be unstated (records need only the project's name).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """run_projects.year becomes nullable (SQLite rebuilds the table: batch mode)."""
    with op.batch_alter_table("run_projects") as table:
        table.alter_column("year", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    """run_projects.year required again (fails while a year is unstated)."""
    with op.batch_alter_table("run_projects") as table:
        table.alter_column("year", existing_type=sa.Integer(), nullable=False)
