"""form-instance tokens, delegations awaiting HR confirmation

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'form_submission',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=True),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token'),
    )
    op.create_index(
        op.f('ix_form_submission_employee_id'), 'form_submission', ['employee_id'], unique=False
    )
    with op.batch_alter_table('delegation') as batch:
        batch.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            'fk_delegation_confirmed_by_id_employee',
            'employee',
            ['confirmed_by_id'],
            ['id'],
            ondelete='SET NULL',
        )
    # Delegations made before this rule stay in force as they were set up.
    op.execute('UPDATE delegation SET confirmed_at = created_at')


def downgrade() -> None:
    with op.batch_alter_table('delegation') as batch:
        batch.drop_constraint('fk_delegation_confirmed_by_id_employee', type_='foreignkey')
        batch.drop_column('confirmed_by_id')
        batch.drop_column('confirmed_at')
    op.drop_index(op.f('ix_form_submission_employee_id'), table_name='form_submission')
    op.drop_table('form_submission')
