"""The records behind the whole annual summary: technology contracts, innovation platforms, cooperation
agreements, district indicators and yearly targets, S&T commissioners with their firms and services.

New tables only; independent of the pipeline. Needs the registry (0001) and users (0002).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 09:06:32.708868
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op




revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('commissioners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('expertise', sa.String(length=200), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('foreign_expert', sa.Boolean(), nullable=False),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('served_villages', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('national', 'provincial', 'municipal', 'district')", name=op.f('ck_commissioners_level')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_commissioners_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissioners'))
    )
    with op.batch_alter_table('commissioners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioners_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioners_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioners_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioners_updated_at'), ['updated_at'], unique=False)

    op.create_table('cooperation_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('partner', sa.String(length=200), nullable=False),
    sa.Column('partner_kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("partner_kind IN ('university', 'institute', 'other')", name=op.f('ck_cooperation_agreements_partner_kind')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_cooperation_agreements_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_cooperation_agreements_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_agreements'))
    )
    with op.batch_alter_table('cooperation_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperation_agreements_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index('ix_cooperation_agreements_archived_at_signed_on', ['archived_at', 'signed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperation_agreements_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperation_agreements_partner'), ['partner'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperation_agreements_updated_at'), ['updated_at'], unique=False)

    op.create_table('district_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("indicator IN ('high_tech_value_added', 'high_tech_output', 'rd_expense_above_scale', 'rd_intensity')", name=op.f('ck_district_indicators_indicator')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_district_indicators_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district_indicators'))
    )
    with op.batch_alter_table('district_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_indicators_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_district_indicators_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('ix_district_indicators_year_indicator', ['year', 'indicator'], unique=False)

    op.create_table('innovation_platforms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('host_institution', sa.String(length=200), nullable=True),
    sa.Column('recognised_on', sa.Date(), nullable=False),
    sa.Column('document_no', sa.String(length=100), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('evaluations', sa.JSON(), nullable=False),
    sa.Column('failed_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('engineering_center', 'key_laboratory', 'new_rd_institution', 'enterprise_tech_center', 'academician_workstation', 'star_maker', 'incubator', 'maker_space', 'other')", name=op.f('ck_innovation_platforms_kind')),
    sa.CheckConstraint("level IN ('national', 'provincial', 'municipal', 'district')", name=op.f('ck_innovation_platforms_level')),
    sa.CheckConstraint('enterprise_id IS NOT NULL OR host_institution IS NOT NULL', name=op.f('ck_innovation_platforms_host')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_innovation_platforms_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_innovation_platforms_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_innovation_platforms'))
    )
    with op.batch_alter_table('innovation_platforms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_innovation_platforms_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index('ix_innovation_platforms_archived_at_recognised_on', ['archived_at', 'recognised_on'], unique=False)
        batch_op.create_index('ix_innovation_platforms_enterprise_id_level', ['enterprise_id', 'level'], unique=False)
        batch_op.create_index(batch_op.f('ix_innovation_platforms_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_innovation_platforms_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_innovation_platforms_updated_at'), ['updated_at'], unique=False)

    op.create_table('technology_contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_no', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('contract_type', sa.String(length=16), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('buyer', sa.String(length=200), nullable=False),
    sa.Column('contract_amount', sa.BigInteger(), nullable=False),
    sa.Column('technology_amount', sa.BigInteger(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("contract_type IN ('development', 'transfer', 'licensing', 'consulting', 'service')", name=op.f('ck_technology_contracts_contract_type')),
    sa.CheckConstraint('technology_amount <= contract_amount', name=op.f('ck_technology_contracts_technology_amount')),
    sa.CheckConstraint('technology_amount >= 0', name=op.f('ck_technology_contracts_amounts')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_technology_contracts_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_technology_contracts_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technology_contracts')),
    sa.UniqueConstraint('registration_no', name=op.f('uq_technology_contracts_registration_no'))
    )
    with op.batch_alter_table('technology_contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_technology_contracts_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index('ix_technology_contracts_archived_at_registered_on', ['archived_at', 'registered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_technology_contracts_contract_type'), ['contract_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_technology_contracts_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_technology_contracts_registered_on'), ['registered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_technology_contracts_updated_at'), ['updated_at'], unique=False)

    op.create_table('yearly_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('target', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("indicator IN ('tech_sme_registered', 'high_tech_newly_recognized', 'high_tech_net_growth', 'high_tech_valid', 'rd_expense_above_scale', 'high_tech_value_added', 'technology_contract_amount', 'cooperation_agreements', 'platforms_recognized', 'firms_visited', 'commissioner_trainees')", name=op.f('ck_yearly_targets_indicator')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_yearly_targets_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_yearly_targets'))
    )
    with op.batch_alter_table('yearly_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_yearly_targets_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_yearly_targets_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('ix_yearly_targets_year_indicator', ['year', 'indicator'], unique=False)

    op.create_table('commissioner_firms',
    sa.Column('commissioner_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commissioner_id'], ['commissioners.id'], name=op.f('fk_commissioner_firms_commissioner_id_commissioners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_commissioner_firms_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commissioner_id', 'enterprise_id', name=op.f('pk_commissioner_firms'))
    )
    with op.batch_alter_table('commissioner_firms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioner_firms_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('commissioner_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commissioner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('techniques', sa.JSON(), nullable=False),
    sa.Column('varieties', sa.JSON(), nullable=False),
    sa.Column('demonstration_base', sa.String(length=200), nullable=True),
    sa.Column('demonstration_area_mu', sa.BigInteger(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('training', 'field_guidance', 'consultation')", name=op.f('ck_commissioner_services_kind')),
    sa.CheckConstraint('demonstration_area_mu IS NULL OR demonstration_area_mu >= 0', name=op.f('ck_commissioner_services_area')),
    sa.CheckConstraint('headcount >= 0', name=op.f('ck_commissioner_services_headcount')),
    sa.ForeignKeyConstraint(['commissioner_id'], ['commissioners.id'], name=op.f('fk_commissioner_services_commissioner_id_commissioners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_commissioner_services_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_commissioner_services_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissioner_services'))
    )
    with op.batch_alter_table('commissioner_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commissioner_services_archived_at'), ['archived_at'], unique=False)
        batch_op.create_index('ix_commissioner_services_archived_at_served_on', ['archived_at', 'served_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioner_services_commissioner_id'), ['commissioner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioner_services_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commissioner_services_updated_at'), ['updated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('commissioner_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissioner_services_updated_at'))
        batch_op.drop_index(batch_op.f('ix_commissioner_services_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_commissioner_services_commissioner_id'))
        batch_op.drop_index('ix_commissioner_services_archived_at_served_on')
        batch_op.drop_index(batch_op.f('ix_commissioner_services_archived_at'))

    op.drop_table('commissioner_services')
    with op.batch_alter_table('commissioner_firms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissioner_firms_enterprise_id'))

    op.drop_table('commissioner_firms')
    with op.batch_alter_table('yearly_targets', schema=None) as batch_op:
        batch_op.drop_index('ix_yearly_targets_year_indicator')
        batch_op.drop_index(batch_op.f('ix_yearly_targets_updated_at'))
        batch_op.drop_index(batch_op.f('ix_yearly_targets_archived_at'))

    op.drop_table('yearly_targets')
    with op.batch_alter_table('technology_contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technology_contracts_updated_at'))
        batch_op.drop_index(batch_op.f('ix_technology_contracts_registered_on'))
        batch_op.drop_index(batch_op.f('ix_technology_contracts_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_technology_contracts_contract_type'))
        batch_op.drop_index('ix_technology_contracts_archived_at_registered_on')
        batch_op.drop_index(batch_op.f('ix_technology_contracts_archived_at'))

    op.drop_table('technology_contracts')
    with op.batch_alter_table('innovation_platforms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_innovation_platforms_updated_at'))
        batch_op.drop_index(batch_op.f('ix_innovation_platforms_name'))
        batch_op.drop_index(batch_op.f('ix_innovation_platforms_kind'))
        batch_op.drop_index('ix_innovation_platforms_enterprise_id_level')
        batch_op.drop_index('ix_innovation_platforms_archived_at_recognised_on')
        batch_op.drop_index(batch_op.f('ix_innovation_platforms_archived_at'))

    op.drop_table('innovation_platforms')
    with op.batch_alter_table('district_indicators', schema=None) as batch_op:
        batch_op.drop_index('ix_district_indicators_year_indicator')
        batch_op.drop_index(batch_op.f('ix_district_indicators_updated_at'))
        batch_op.drop_index(batch_op.f('ix_district_indicators_archived_at'))

    op.drop_table('district_indicators')
    with op.batch_alter_table('cooperation_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperation_agreements_updated_at'))
        batch_op.drop_index(batch_op.f('ix_cooperation_agreements_partner'))
        batch_op.drop_index(batch_op.f('ix_cooperation_agreements_enterprise_id'))
        batch_op.drop_index('ix_cooperation_agreements_archived_at_signed_on')
        batch_op.drop_index(batch_op.f('ix_cooperation_agreements_archived_at'))

    op.drop_table('cooperation_agreements')
    with op.batch_alter_table('commissioners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissioners_updated_at'))
        batch_op.drop_index(batch_op.f('ix_commissioners_name'))
        batch_op.drop_index(batch_op.f('ix_commissioners_level'))
        batch_op.drop_index(batch_op.f('ix_commissioners_archived_at'))

    op.drop_table('commissioners')
