"""The rules checked against the official texts: total income, the IP ledger, the programme calendar,
development reports, and a certificate's issue date.

Revision ID: 0010
Revises: 0018
Create Date: 2026-11-28 09:30:00.000000
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


IP_KINDS = ('invention_patent', 'plant_variety', 'crop_variety', 'new_drug', 'protected_tcm_variety',
            'ic_layout_design', 'utility_model', 'design_patent', 'software_copyright')


CALENDAR_KINDS = ('window_opens', 'window_closes', 'batch_deadline', 'publicity_ends', 'checks_end', 'report_due')

MIIT_2025 = 'MIIT 2025 科技型中小企业评价工作通知 (shared/domain/tech-sme.md)'
# (program, year, kind, date, label, source): the dates the domain notes confirm, one year a secondary source.
KNOWN_DATES = (
    ('tech_sme', 2024, 'window_opens', dt.date(2024, 6, 27), None, '工信厅企业函〔2024〕244号'),
    ('tech_sme', 2025, 'window_opens', dt.date(2025, 6, 30), None, MIIT_2025),
    ('tech_sme', 2025, 'window_closes', dt.date(2025, 9, 30), None, MIIT_2025),
    ('tech_sme', 2025, 'publicity_ends', dt.date(2025, 10, 31), '各批次公示完成', MIIT_2025),
    ('tech_sme', 2025, 'checks_end', dt.date(2025, 12, 15), '抽查完成', MIIT_2025),
    ('tech_sme', 2026, 'window_opens', dt.date(2026, 6, 1), '单一来源，待正式通知核实', 'secondary source [S]'),
    ('tech_sme', 2026, 'window_closes', dt.date(2026, 8, 31), '单一来源，待正式通知核实', 'secondary source [S]'),
    ('high_tech', 2019, 'batch_deadline', dt.date(2019, 5, 16), '湖南第一批', '湖南省高新技术企业认定批次通知 2019'),
    ('high_tech', 2019, 'batch_deadline', dt.date(2019, 7, 16), '湖南第二批', '湖南省高新技术企业认定批次通知 2019'),
    ('high_tech', 2019, 'batch_deadline', dt.date(2019, 9, 16), '湖南第三批', '湖南省高新技术企业认定批次通知 2019'),
)


def upgrade() -> None:
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_income', sa.BigInteger(), nullable=True))

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
    # A certificate recorded so far ran from the date it was recorded as issued: that date is its issue date.
    op.execute("UPDATE applications SET issued_on = valid_from WHERE program = 'high_tech' AND valid_from IS NOT NULL")

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

    calendar = op.create_table('calendar_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('falls_on', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ({})".format(', '.join(f"'{k}'" for k in CALENDAR_KINDS)),
                       name=op.f('ck_calendar_entries_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_entries')),
    sa.UniqueConstraint('program', 'year', 'kind', 'falls_on', name=op.f('uq_calendar_entries_program_year_kind_falls_on'))
    )
    with op.batch_alter_table('calendar_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_entries_year'), ['year'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_entries_updated_at'), ['updated_at'], unique=False)
    now = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    op.bulk_insert(calendar, [
        {'program': program, 'year': year, 'kind': kind, 'falls_on': day, 'label': label, 'source': source,
         'version': 1, 'created_at': now, 'updated_at': now}
        for program, year, kind, day, label, source in KNOWN_DATES
    ])

    op.create_table('development_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_development_reports_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_reports')),
    sa.UniqueConstraint('enterprise_id', 'year', name=op.f('uq_development_reports_enterprise_id_year'))
    )
    with op.batch_alter_table('development_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_development_reports_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_development_reports_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_table('development_reports')
    op.drop_table('calendar_entries')
    op.drop_table('ip_rights')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('issued_on')
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.drop_column('total_income')
