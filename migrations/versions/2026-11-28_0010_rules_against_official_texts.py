"""The rules checked against the official texts: total income, the IP ledger, the programme calendar,
development reports, and a certificate's issue date.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-28 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


IP_KINDS = ('invention_patent', 'plant_variety', 'crop_variety', 'new_drug', 'protected_tcm_variety',
            'ic_layout_design', 'utility_model', 'design_patent', 'software_copyright')


def upgrade() -> None:
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_income', sa.BigInteger(), nullable=True))

    op.create_table('ip_rights',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('ip_class', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('used_by_application_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ({})".format(', '.join(f"'{k}'" for k in IP_KINDS)), name=op.f('ck_ip_rights_kind')),
    sa.CheckConstraint('ip_class IN (1, 2)', name=op.f('ck_ip_rights_ip_class')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_ip_rights_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_application_id'], ['applications.id'], name=op.f('fk_ip_rights_used_by_application_id_applications'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ip_rights')),
    sa.UniqueConstraint('enterprise_id', 'number', name=op.f('uq_ip_rights_enterprise_id_number'))
    )
    with op.batch_alter_table('ip_rights', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ip_rights_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ip_rights_used_by_application_id'), ['used_by_application_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_ip_rights_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_table('ip_rights')
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.drop_column('total_income')
