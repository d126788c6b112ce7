"""Visits and demands; the policy catalog and publicity events, with their link tables.

Independent of the pipeline tables: it needs only the registry (0001) and users (0002).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:48:18.441798
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op




revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('document_no', sa.String(length=100), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('tax', 'subsidy', 'finance', 'talent', 'ip', 'platform', 'other')", name=op.f('ck_policies_category')),
    sa.CheckConstraint("level IN ('national', 'provincial', 'municipal', 'district')", name=op.f('ck_policies_level')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policies'))
    )
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policies_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_document_no'), ['document_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_title'), ['title'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_updated_at'), ['updated_at'], unique=False)

    op.create_table('publicity_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('organizer', sa.String(length=200), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('materials_distributed', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('lecture', 'training', 'on_site', 'online', 'media')", name=op.f('ck_publicity_events_kind')),
    sa.CheckConstraint('headcount IS NULL OR headcount >= 0', name=op.f('ck_publicity_events_headcount')),
    sa.CheckConstraint('materials_distributed IS NULL OR materials_distributed >= 0', name=op.f('ck_publicity_events_materials')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_publicity_events_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_events'))
    )
    with op.batch_alter_table('publicity_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publicity_events_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicity_events_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicity_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicity_events_updated_at'), ['updated_at'], unique=False)

    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('participants', sa.String(length=500), nullable=True),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('logged_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('on_site', 'phone', 'online', 'meeting')", name=op.f('ck_visits_kind')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_visits_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['logged_by'], ['users.id'], name=op.f('fk_visits_logged_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_visited_on'), ['visited_on'], unique=False)

    op.create_table('demands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('logged_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('funding', 'talent', 'financing', 'technology', 'land_space', 'policy', 'market', 'other')", name=op.f('ck_demands_category')),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'resolved', 'closed')", name=op.f('ck_demands_status')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_demands_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_demands_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['logged_by'], ['users.id'], name=op.f('fk_demands_logged_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_demands_visit_id_visits'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demands'))
    )
    with op.batch_alter_table('demands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demands_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_raised_on'), ['raised_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_demands_visit_id'), ['visit_id'], unique=False)

    op.create_table('event_attendance',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('attendee_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('attendee_count >= 1', name=op.f('ck_event_attendance_attendee_count')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_event_attendance_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['publicity_events.id'], name=op.f('fk_event_attendance_event_id_publicity_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'enterprise_id', name=op.f('pk_event_attendance'))
    )
    with op.batch_alter_table('event_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_attendance_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('event_policies',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['publicity_events.id'], name=op.f('fk_event_policies_event_id_publicity_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_event_policies_policy_id_policies'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('event_id', 'policy_id', name=op.f('pk_event_policies'))
    )
    with op.batch_alter_table('event_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_policies_policy_id'), ['policy_id'], unique=False)

    op.create_table('visit_contacts',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_visit_contacts_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_contacts_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'contact_id', name=op.f('pk_visit_contacts'))
    )
    with op.batch_alter_table('visit_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_contacts_contact_id'), ['contact_id'], unique=False)

    op.create_table('visit_policies',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], name=op.f('fk_visit_policies_policy_id_policies'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_policies_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'policy_id', name=op.f('pk_visit_policies'))
    )
    with op.batch_alter_table('visit_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_policies_policy_id'), ['policy_id'], unique=False)

    op.create_table('visit_staff',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_staff_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_staff_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'user_id', name=op.f('pk_visit_staff'))
    )
    with op.batch_alter_table('visit_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_staff_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('visit_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_staff_user_id'))

    op.drop_table('visit_staff')
    with op.batch_alter_table('visit_policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_policies_policy_id'))

    op.drop_table('visit_policies')
    with op.batch_alter_table('visit_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_contacts_contact_id'))

    op.drop_table('visit_contacts')
    with op.batch_alter_table('event_policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_policies_policy_id'))

    op.drop_table('event_policies')
    with op.batch_alter_table('event_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_attendance_enterprise_id'))

    op.drop_table('event_attendance')
    with op.batch_alter_table('demands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demands_visit_id'))
        batch_op.drop_index(batch_op.f('ix_demands_updated_at'))
        batch_op.drop_index(batch_op.f('ix_demands_status'))
        batch_op.drop_index(batch_op.f('ix_demands_raised_on'))
        batch_op.drop_index(batch_op.f('ix_demands_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_demands_due_on'))
        batch_op.drop_index(batch_op.f('ix_demands_category'))
        batch_op.drop_index(batch_op.f('ix_demands_assignee_id'))
        batch_op.drop_index(batch_op.f('ix_demands_archived_at'))

    op.drop_table('demands')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_visited_on'))
        batch_op.drop_index(batch_op.f('ix_visits_updated_at'))
        batch_op.drop_index(batch_op.f('ix_visits_kind'))
        batch_op.drop_index(batch_op.f('ix_visits_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_visits_archived_at'))

    op.drop_table('visits')
    with op.batch_alter_table('publicity_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publicity_events_updated_at'))
        batch_op.drop_index(batch_op.f('ix_publicity_events_kind'))
        batch_op.drop_index(batch_op.f('ix_publicity_events_held_on'))
        batch_op.drop_index(batch_op.f('ix_publicity_events_archived_at'))

    op.drop_table('publicity_events')
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policies_updated_at'))
        batch_op.drop_index(batch_op.f('ix_policies_title'))
        batch_op.drop_index(batch_op.f('ix_policies_level'))
        batch_op.drop_index(batch_op.f('ix_policies_document_no'))
        batch_op.drop_index(batch_op.f('ix_policies_category'))
        batch_op.drop_index(batch_op.f('ix_policies_archived_at'))

    op.drop_table('policies')
