"""Pipeline: applications of every program and their stage events.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:46:37.888279
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op




revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program', sa.String(length=32), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('stage_entered_on', sa.Date(), nullable=False),
    sa.Column('unique_slot', sa.String(length=80), nullable=True),
    sa.Column('reference_no', sa.String(length=64), nullable=True),
    sa.Column('amount_requested', sa.BigInteger(), nullable=True),
    sa.Column('amount_approved', sa.BigInteger(), nullable=True),
    sa.Column('amount_disbursed', sa.BigInteger(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_applications_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_id'], ['applications.id'], name=op.f('fk_applications_previous_id_applications'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('unique_slot', name=op.f('uq_applications_unique_slot'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_applications_program_stage', ['program', 'stage'], unique=False)
        batch_op.create_index('ix_applications_program_valid_until', ['program', 'valid_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_reference_no'), ['reference_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_year'), ['year'], unique=False)

    op.create_table('stage_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('program', sa.String(length=32), nullable=False),
    sa.Column('from_stage', sa.String(length=32), nullable=True),
    sa.Column('to_stage', sa.String(length=32), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=50), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_stage_events_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_events'))
    )
    with op.batch_alter_table('stage_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_events_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_events_enterprise_id'), ['enterprise_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stage_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_events_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_stage_events_at'))
        batch_op.drop_index(batch_op.f('ix_stage_events_application_id'))

    op.drop_table('stage_events')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_year'))
        batch_op.drop_index(batch_op.f('ix_applications_updated_at'))
        batch_op.drop_index(batch_op.f('ix_applications_reference_no'))
        batch_op.drop_index('ix_applications_program_valid_until')
        batch_op.drop_index('ix_applications_program_stage')
        batch_op.drop_index(batch_op.f('ix_applications_owner_id'))
        batch_op.drop_index(batch_op.f('ix_applications_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_applications_archived_at'))

    op.drop_table('applications')
