// The record kinds of the annual summary, each described once: its API path, its list columns, filters
// and sort orders, and its form fields. RecordList / RecordForm / RecordTable render any of them.
import { wan, yuan } from '@/utils/format'
import type { FieldDef } from './form'
import type { RecordPath, RecordRow } from './client'

/** What a column needs to show a row: enum labels and the names behind ids. */
export interface Lookup {
  label: (enumName: string, value: string | null | undefined) => string
  firm: (id: number | null | undefined) => string
  commissioner: (id: number | null | undefined) => string
}

export interface Column {
  label: string; width?: number; minWidth?: number; text: (row: RecordRow, l: Lookup) => string
  /** The record's firm: left out where the rows are one firm's (its page). */
  firm?: boolean
}
export interface Filter { key: string; label: string; type: 'q' | 'enum' | 'year' | 'bool' | 'commissioner'; enum?: string }

export interface Kind {
  slug: string
  path: RecordPath
  /** The screen's title and the noun in its buttons (新增技术合同). */
  title: string
  noun: string
  /** Kinds shown as tabs of one screen (指标与目标, 科技特派员), in order. */
  group?: string[]
  groupTitle?: string
  /** Only admins change these (yearly targets); otherwise staff and admins. */
  adminOnly?: boolean
  /** The field that names a record in messages (“已归档：…”). */
  name: (row: RecordRow) => string
  columns: Column[]
  filters: Filter[]
  sorts: [string, string][]
  fields: FieldDef[]
}

const Q: Filter = { key: 'q', label: '关键词', type: 'q' }
const str = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v))
const list = (v: unknown): string => (Array.isArray(v) && v.length ? v.join('、') : '—')

/** A figure in its unit: yuan as 万元, percent with %, counts with their Chinese unit. */
export function inUnit(value: string | null | undefined, unit: string, l: Lookup): string {
  if (value === null || value === undefined) return '未录入'
  if (unit === 'yuan') return wan(value)
  if (unit === 'percent') return `${value}%`
  return `${value.replace(/\.00$/, '')} ${l.label('figure_unit', unit)}`
}

const contracts: Kind = {
  slug: 'technology-contracts', path: '/api/v1/technology-contracts', title: '技术合同', noun: '技术合同',
  name: (r) => str(r.registration_no),
  columns: [
    { label: '登记编号', width: 170, text: (r) => str(r.registration_no) },
    { label: '合同名称', minWidth: 180, text: (r) => str(r.title) },
    { label: '类型', width: 100, text: (r, l) => l.label('contract_type', r.contract_type as string) },
    { label: '卖方企业', minWidth: 160, firm: true, text: (r, l) => l.firm(r.enterprise_id as number) },
    { label: '买方', minWidth: 140, text: (r) => str(r.buyer) },
    { label: '成交额', width: 150, text: (r) => yuan(r.contract_amount as string) },
    { label: '技术交易额', width: 150, text: (r) => yuan(r.technology_amount as string) },
    { label: '登记日期', width: 110, text: (r) => str(r.registered_on) },
  ],
  filters: [Q, { key: 'contract_type', label: '合同类型', type: 'enum', enum: 'contract_type' }],
  sorts: [['-registered_on', '登记日期（新→旧）'], ['-technology_amount', '技术交易额（高→低）'], ['-contract_amount', '成交额（高→低）'], ['-updated_at', '最近更新']],
  fields: [
    { key: 'registration_no', label: '登记编号', type: 'text', required: true },
    { key: 'title', label: '合同名称', type: 'text' },
    { key: 'contract_type', label: '合同类型', type: 'enum', enum: 'contract_type', required: true },
    { key: 'enterprise_id', label: '卖方企业', type: 'firm', required: true },
    { key: 'buyer', label: '买方', type: 'text', required: true },
    { key: 'contract_amount', label: '成交额（元）', type: 'money', required: true },
    { key: 'technology_amount', label: '技术交易额（元）', type: 'money', required: true },
    { key: 'registered_on', label: '认定登记日期', type: 'date', required: true },
    { key: 'notes', label: '备注', type: 'textarea' },
  ],
}

const platforms: Kind = {
  slug: 'innovation-platforms', path: '/api/v1/innovation-platforms', title: '创新平台', noun: '创新平台',
  name: (r) => str(r.name),
  columns: [
    { label: '平台名称', minWidth: 220, text: (r) => str(r.name) },
    { label: '类型', width: 150, text: (r, l) => l.label('platform_kind', r.kind as string) },
    { label: '级别', width: 80, text: (r, l) => l.label('administrative_level', r.level as string) },
    { label: '依托单位', minWidth: 160, firm: true, text: (r, l) => (r.enterprise_id ? l.firm(r.enterprise_id as number) : str(r.host_institution)) },
    { label: '认定日期', width: 110, text: (r) => str(r.recognised_on) },
    { label: '状态', width: 120, text: (r) => (r.revoked_on ? `${String(r.revoked_on)} 撤销` : '有效') },
  ],
  filters: [Q, { key: 'kind', label: '平台类型', type: 'enum', enum: 'platform_kind' }, { key: 'level', label: '级别', type: 'enum', enum: 'administrative_level' }],
  sorts: [['-recognised_on', '认定日期（新→旧）'], ['name', '按名称'], ['-updated_at', '最近更新']],
  fields: [
    { key: 'name', label: '平台名称', type: 'text', required: true },
    { key: 'kind', label: '平台类型', type: 'enum', enum: 'platform_kind', required: true },
    { key: 'level', label: '级别', type: 'enum', enum: 'administrative_level', required: true },
    { key: 'enterprise_id', label: '依托企业', type: 'firm' },
    { key: 'host_institution', label: '依托单位（非库内企业）', type: 'text' },
    { key: 'recognised_on', label: '认定/备案日期', type: 'date', required: true },
    { key: 'document_no', label: '认定文号', type: 'text' },
    { key: 'revoked_on', label: '撤销/摘牌日期', type: 'date' },
    { key: 'evaluations', label: '考核评估', type: 'evaluations', enum: 'evaluation_result' },
    { key: 'notes', label: '备注', type: 'textarea' },
  ],
}

const agreements: Kind = {
  slug: 'cooperation-agreements', path: '/api/v1/cooperation-agreements', title: '产学研合作', noun: '合作协议',
  name: (r) => str(r.subject),
  columns: [
    { label: '企业', minWidth: 180, firm: true, text: (r, l) => l.firm(r.enterprise_id as number) },
    { label: '合作院校/院所', minWidth: 150, text: (r) => str(r.partner) },
    { label: '类别', width: 100, text: (r, l) => l.label('partner_kind', r.partner_kind as string) },
    { label: '合作内容', minWidth: 200, text: (r) => str(r.subject) },
    { label: '签订日期', width: 110, text: (r) => str(r.signed_on) },
    { label: '金额', width: 150, text: (r) => yuan(r.amount as string | null) },
  ],
  filters: [Q, { key: 'partner_kind', label: '合作方类别', type: 'enum', enum: 'partner_kind' }],
  sorts: [['-signed_on', '签订日期（新→旧）'], ['partner', '按合作方'], ['-updated_at', '最近更新']],
  fields: [
    { key: 'enterprise_id', label: '企业', type: 'firm', required: true },
    { key: 'partner', label: '合作院校/院所', type: 'text', required: true, placeholder: '如：湖南大学' },
    { key: 'partner_kind', label: '合作方类别', type: 'enum', enum: 'partner_kind', initial: 'university' },
    { key: 'subject', label: '合作内容', type: 'text', required: true },
    { key: 'signed_on', label: '签订日期', type: 'date', required: true },
    { key: 'amount', label: '协议金额（元）', type: 'money' },
    { key: 'notes', label: '备注', type: 'textarea' },
  ],
}

const TARGETS = ['district-indicators', 'yearly-targets']
const indicators: Kind = {
  slug: 'district-indicators', path: '/api/v1/district-indicators', title: '区级统计指标', noun: '统计指标',
  group: TARGETS, groupTitle: '指标与目标',
  name: (r) => `${String(r.year)} 年`,
  columns: [
    { label: '年度', width: 80, text: (r) => str(r.year) },
    { label: '指标', minWidth: 180, text: (r, l) => l.label('district_indicator', r.indicator as string) },
    { label: '数值', width: 160, text: (r, l) => inUnit(r.value as string, r.unit as string, l) },
    { label: '来源', minWidth: 200, text: (r) => str(r.source) },
  ],
  filters: [{ key: 'year', label: '年度', type: 'year' }, { key: 'indicator', label: '指标', type: 'enum', enum: 'district_indicator' }],
  sorts: [['-year', '年度（新→旧）'], ['indicator', '按指标'], ['-updated_at', '最近更新']],
  fields: [
    { key: 'year', label: '年度', type: 'year', required: true, createOnly: true },
    { key: 'indicator', label: '指标', type: 'enum', enum: 'district_indicator', required: true, createOnly: true },
    { key: 'value', label: '数值（元或%）', type: 'decimal', required: true },
    { key: 'source', label: '来源', type: 'text', required: true, placeholder: '如：区统计局《2025年统计公报》' },
    { key: 'notes', label: '备注', type: 'textarea' },
  ],
}

const targets: Kind = {
  slug: 'yearly-targets', path: '/api/v1/yearly-targets', title: '年度考核目标', noun: '考核目标',
  group: TARGETS, groupTitle: '指标与目标', adminOnly: true,
  name: (r) => `${String(r.year)} 年`,
  columns: [
    { label: '年度', width: 80, text: (r) => str(r.year) },
    { label: '指标', minWidth: 180, text: (r, l) => l.label('target_indicator', r.indicator as string) },
    { label: '目标值', width: 160, text: (r, l) => inUnit(r.target as string, r.unit as string, l) },
    { label: '备注', minWidth: 200, text: (r) => str(r.notes) },
  ],
  filters: [{ key: 'year', label: '年度', type: 'year' }, { key: 'indicator', label: '指标', type: 'enum', enum: 'target_indicator' }],
  sorts: [['-year', '年度（新→旧）'], ['indicator', '按指标'], ['-updated_at', '最近更新']],
  fields: [
    { key: 'year', label: '年度', type: 'year', required: true, createOnly: true },
    { key: 'indicator', label: '指标', type: 'enum', enum: 'target_indicator', required: true, createOnly: true },
    { key: 'target', label: '目标值', type: 'decimal', required: true },
    { key: 'notes', label: '备注', type: 'textarea' },
  ],
}

const PEOPLE = ['commissioners', 'commissioner-services']
const commissioners: Kind = {
  slug: 'commissioners', path: '/api/v1/commissioners', title: '科技特派员', noun: '科技特派员',
  group: PEOPLE, groupTitle: '科技特派员',
  name: (r) => str(r.name),
  columns: [
    { label: '姓名', width: 110, text: (r) => str(r.name) },
    { label: '级别', width: 80, text: (r, l) => l.label('administrative_level', r.level as string) },
    { label: '专业领域', minWidth: 140, text: (r) => str(r.expertise) },
    { label: '工作单位', minWidth: 160, text: (r) => str(r.employer) },
    { label: '外籍专家', width: 90, text: (r) => (r.foreign_expert ? '是' : '否') },
    { label: '选派日期', width: 110, text: (r) => str(r.appointed_on) },
    { label: '服务企业/村', minWidth: 180, text: (r, l) => list([...(r.served_firm_ids as number[]).map((id) => l.firm(id)), ...(r.served_villages as string[])]) },
    { label: '服务截止', width: 110, text: (r) => str(r.ended_on) },
  ],
  filters: [Q, { key: 'level', label: '级别', type: 'enum', enum: 'administrative_level' }, { key: 'foreign_expert', label: '外籍专家', type: 'bool' }],
  sorts: [['name', '按姓名'], ['-appointed_on', '选派日期（新→旧）'], ['-updated_at', '最近更新']],
  fields: [
    { key: 'name', label: '姓名', type: 'text', required: true },
    { key: 'level', label: '级别', type: 'enum', enum: 'administrative_level', required: true },
    { key: 'expertise', label: '专业领域', type: 'text', required: true, placeholder: '如：果树栽培' },
    { key: 'employer', label: '工作单位', type: 'text' },
    { key: 'foreign_expert', label: '引进外籍专家', type: 'bool' },
    { key: 'appointed_on', label: '选派日期', type: 'date', required: true },
    { key: 'ended_on', label: '服务截止日期', type: 'date' },
    { key: 'served_firm_ids', label: '服务企业', type: 'firms' },
    { key: 'served_villages', label: '服务村/合作社', type: 'list' },
    { key: 'notes', label: '备注', type: 'textarea' },
  ],
}

const services: Kind = {
  slug: 'commissioner-services', path: '/api/v1/commissioner-services', title: '服务记录', noun: '服务记录',
  group: PEOPLE, groupTitle: '科技特派员',
  name: (r) => `${String(r.served_on)} ${String(r.place)}`,
  columns: [
    { label: '日期', width: 110, text: (r) => str(r.served_on) },
    { label: '特派员', width: 110, text: (r, l) => l.commissioner(r.commissioner_id as number) },
    { label: '服务类型', width: 100, text: (r, l) => l.label('service_kind', r.kind as string) },
    { label: '地点', minWidth: 140, text: (r) => str(r.place) },
    { label: '服务企业', minWidth: 140, text: (r, l) => (r.enterprise_id ? l.firm(r.enterprise_id as number) : '—') },
    { label: '人次', width: 70, text: (r) => str(r.headcount) },
    { label: '新技术/新品种', minWidth: 160, text: (r) => list([...(r.techniques as string[]), ...(r.varieties as string[])]) },
    { label: '示范基地', minWidth: 140, text: (r) => (r.demonstration_base ? `${String(r.demonstration_base)}${r.demonstration_area_mu ? `（${String(r.demonstration_area_mu)} 亩）` : ''}` : '—') },
  ],
  filters: [Q, { key: 'commissioner_id', label: '特派员', type: 'commissioner' }, { key: 'kind', label: '服务类型', type: 'enum', enum: 'service_kind' }],
  sorts: [['-served_on', '日期（新→旧）'], ['-headcount', '人次（多→少）'], ['-updated_at', '最近更新']],
  fields: [
    { key: 'commissioner_id', label: '科技特派员', type: 'commissioner', required: true, createOnly: true },
    { key: 'kind', label: '服务类型', type: 'enum', enum: 'service_kind', required: true },
    { key: 'served_on', label: '服务日期', type: 'date', required: true },
    { key: 'place', label: '地点', type: 'text', required: true },
    { key: 'enterprise_id', label: '服务企业', type: 'firm' },
    { key: 'headcount', label: '培训/指导人次', type: 'int', initial: 0 },
    { key: 'techniques', label: '推广新技术', type: 'list' },
    { key: 'varieties', label: '推广新品种', type: 'list' },
    { key: 'demonstration_base', label: '示范基地', type: 'text' },
    { key: 'demonstration_area_mu', label: '示范面积（亩）', type: 'decimal' },
    { key: 'notes', label: '备注', type: 'textarea' },
  ],
}

export const KINDS: Kind[] = [contracts, platforms, agreements, indicators, targets, commissioners, services]

export function kindOf(slug: string): Kind {
  const kind = KINDS.find((k) => k.slug === slug)
  if (!kind) throw new Error(`unknown record kind ${slug}`)
  return kind
}

/** The navigation: one entry per screen; grouped kinds share their first kind's screen. */
export const RECORD_NAV: { to: string; label: string }[] = [
  { to: '/technology-contracts', label: '技术合同' },
  { to: '/innovation-platforms', label: '创新平台' },
  { to: '/cooperation-agreements', label: '产学研合作' },
  { to: '/district-indicators', label: '指标与目标' },
  { to: '/commissioners', label: '科技特派员' },
]
