"""job claims; ownership, progress and a date index on nudge digests

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 21:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('job_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=60), nullable=False),
    sa.Column('slot', sa.String(length=40), nullable=False),
    sa.Column('claimed_by', sa.String(length=100), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_claim')),
    sa.UniqueConstraint('job', 'slot', name=op.f('uq_job_claim_job'))
    )
    with op.batch_alter_table('nudge_digest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column('parts_sent', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.create_index('ix_nudge_digest_run_date', ['run_date'], unique=False)
    with op.batch_alter_table('nudge', schema=None) as batch_op:
        batch_op.create_index('ix_nudge_kind', ['kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('nudge', schema=None) as batch_op:
        batch_op.drop_index('ix_nudge_kind')
    with op.batch_alter_table('nudge_digest', schema=None) as batch_op:
        batch_op.drop_index('ix_nudge_digest_run_date')
        batch_op.drop_column('parts_sent')
        batch_op.drop_column('claim_token')
    op.drop_table('job_claim')
