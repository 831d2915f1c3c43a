"""the one-to-one agenda: talking points, the manager's prep note, the next planned one-to-one

Revision ID: 0010
Revises: 0009_notices
Create Date: 2026-12-07 01:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009_notices'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agenda_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('added_by', sa.String(length=20), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('discussed_on', sa.Date(), nullable=True),
    sa.Column('one_to_one_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['employee.id'], name=op.f('fk_agenda_point_added_by_id_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_agenda_point_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['one_to_one_id'], ['one_to_one.id'], name=op.f('fk_agenda_point_one_to_one_id_one_to_one'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_point'))
    )
    with op.batch_alter_table('agenda_point', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_point_employee_discussed', ['employee_id', 'discussed_on'], unique=False)

    op.create_table('agenda_prep_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_agenda_prep_note_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manager_id'], ['employee.id'], name=op.f('fk_agenda_prep_note_manager_id_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_prep_note')),
    sa.UniqueConstraint('employee_id', 'manager_id', name=op.f('uq_agenda_prep_note_employee_id'))
    )
    with op.batch_alter_table('agenda_prep_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_prep_note_manager_id'), ['manager_id'], unique=False)

    op.create_table('planned_one_to_one',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('proposed', sa.Boolean(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('one_to_one_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_planned_one_to_one_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manager_id'], ['employee.id'], name=op.f('fk_planned_one_to_one_manager_id_employee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['one_to_one_id'], ['one_to_one.id'], name=op.f('fk_planned_one_to_one_one_to_one_id_one_to_one'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['set_by_id'], ['employee.id'], name=op.f('fk_planned_one_to_one_set_by_id_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_one_to_one'))
    )
    with op.batch_alter_table('planned_one_to_one', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_one_to_one_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_planned_one_to_one_status_starts', ['status', 'starts_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('planned_one_to_one', schema=None) as batch_op:
        batch_op.drop_index('ix_planned_one_to_one_status_starts')
        batch_op.drop_index(batch_op.f('ix_planned_one_to_one_employee_id'))
    op.drop_table('planned_one_to_one')
    with op.batch_alter_table('agenda_prep_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_prep_note_manager_id'))
    op.drop_table('agenda_prep_note')
    with op.batch_alter_table('agenda_point', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_point_employee_discussed')
    op.drop_table('agenda_point')
