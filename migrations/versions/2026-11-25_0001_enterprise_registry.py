"""Enterprise registry: firms, tags, contacts, annual figures.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 06:19:29.477184
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op




revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('enterprises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('district', sa.String(length=50), nullable=False),
    sa.Column('park', sa.String(length=100), nullable=True),
    sa.Column('industry', sa.String(length=1), nullable=True),
    sa.Column('industry_code', sa.String(length=4), nullable=True),
    sa.Column('tech_domain', sa.String(length=32), nullable=True),
    sa.Column('above_scale', sa.Boolean(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('legal_representative', sa.String(length=50), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("industry IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T')", name=op.f('ck_enterprises_industry')),
    sa.CheckConstraint("status IN ('active', 'moved_out', 'closed')", name=op.f('ck_enterprises_status')),
    sa.CheckConstraint("tech_domain IN ('electronic_information', 'biomedicine', 'aerospace', 'new_materials', 'high_tech_services', 'new_energy', 'resources_environment', 'advanced_manufacturing')", name=op.f('ck_enterprises_tech_domain')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprises')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_enterprises_credit_code'))
    )
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprises_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_park'), ['park'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_tech_domain'), ['tech_domain'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_updated_at'), ['updated_at'], unique=False)

    op.create_table('annual_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('tech_staff', sa.Integer(), nullable=True),
    sa.Column('revenue', sa.BigInteger(), nullable=True),
    sa.Column('total_cost', sa.BigInteger(), nullable=True),
    sa.Column('rd_expense', sa.BigInteger(), nullable=True),
    sa.Column('rd_expense_domestic', sa.BigInteger(), nullable=True),
    sa.Column('high_tech_income', sa.BigInteger(), nullable=True),
    sa.Column('total_assets', sa.BigInteger(), nullable=True),
    sa.Column('ip_class1', sa.Integer(), nullable=True),
    sa.Column('ip_class2', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_annual_figures_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_figures')),
    sa.UniqueConstraint('enterprise_id', 'year', name=op.f('uq_annual_figures_enterprise_id_year'))
    )
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_figures_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_figures_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_figures_year'), ['year'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_contacts_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_updated_at'), ['updated_at'], unique=False)

    op.create_table('enterprise_tags',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_tags_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enterprise_id', 'tag', name=op.f('pk_enterprise_tags'))
    )
    with op.batch_alter_table('enterprise_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_tags_tag'), ['tag'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('enterprise_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_tags_tag'))

    op.drop_table('enterprise_tags')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_updated_at'))
        batch_op.drop_index(batch_op.f('ix_contacts_enterprise_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_figures_year'))
        batch_op.drop_index(batch_op.f('ix_annual_figures_updated_at'))
        batch_op.drop_index(batch_op.f('ix_annual_figures_enterprise_id'))

    op.drop_table('annual_figures')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprises_updated_at'))
        batch_op.drop_index(batch_op.f('ix_enterprises_tech_domain'))
        batch_op.drop_index(batch_op.f('ix_enterprises_status'))
        batch_op.drop_index(batch_op.f('ix_enterprises_park'))
        batch_op.drop_index(batch_op.f('ix_enterprises_owner_id'))
        batch_op.drop_index(batch_op.f('ix_enterprises_name'))
        batch_op.drop_index(batch_op.f('ix_enterprises_industry'))
        batch_op.drop_index(batch_op.f('ix_enterprises_district'))
        batch_op.drop_index(batch_op.f('ix_enterprises_archived_at'))

    op.drop_table('enterprises')

