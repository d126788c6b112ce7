// The figures of /stats/summary as the statistics screen shows them: this year, last year, the change,
// the year's target and its completion rate — and 未录入 where the API says a figure has no data (null),
// never 0.
import { wan } from './format'

export const FIGURE_LABELS: Record<string, string> = {
  enterprises: '在册企业', tech_sme_registered: '科技型中小企业入库', high_tech_recommended: '高企推荐', high_tech_newly_recognized: '新认定高企',
  high_tech_renewed: '重新认定高企', high_tech_valid: '有效高企总数', high_tech_net_growth: '高企净增',
  rd_expense_above_scale: '规上企业研发投入', high_tech_income: '高新技术产品收入', rd_subsidy_firms: '获研发奖补企业',
  rd_subsidy_approved: '奖补资金（核定）', rd_subsidy_disbursed: '奖补资金（已拨付）', loans_disbursed: '科技贷款笔数', loan_amount_disbursed: '科技贷款金额',
  loan_firms: '获科技贷款企业', visits: '走访次数', firms_visited: '走访企业', demands_raised: '收集诉求', demands_resolved: '解决诉求',
  demands_resolved_on_time: '按期解决', publicity_events: '政策宣讲', publicity_headcount: '宣讲覆盖人次', firms_reached: '宣讲覆盖企业',
  technology_contracts: '技术合同', technology_contract_amount: '技术合同交易额', technology_contract_turnover: '技术合同成交额',
  platforms_recognized: '新认定创新平台', cooperation_agreements: '产学研合作协议', cooperation_amount: '产学研合作金额',
  high_tech_value_added: '高新技术产业增加值', rd_expense_official: '规上企业研发投入（统计局）', rd_intensity: '研发经费投入强度',
  foreign_experts_introduced: '引进外籍专家', commissioners_national: '国家级科技特派员', commissioners_provincial: '省级科技特派员',
  commissioners_municipal: '市级科技特派员', commissioners_district: '区级科技特派员', commissioner_trainings: '特派员培训',
  commissioner_trainees: '特派员培训人次', techniques_promoted: '推广新技术', varieties_promoted: '推广新品种',
  demonstration_bases: '示范基地', demonstration_area_mu: '示范面积',
}

const UNITS: Record<string, string> = { firms: '家', items: '件', people: '人次', persons: '个', times: '次', entries: '项', places: '个', mu: '亩' }

export const NO_DATA = '未录入'

export interface FigureRow {
  key: string
  label: string
  value: string
  previous: string
  /** Signed change in percent, or null (no previous year, or no data). */
  change: string | null
  target: string | null
  completion: string | null
  /** The figure has no data this year (the API sent null). */
  missing: boolean
}

interface RawFigure { value: string | number | null; previous: string | number | null; change_percent: string | null; unit?: string; target?: string | null; completion_percent?: string | null }

/** A figure's amount in its unit: yuan as 万元, percent with %, counts with their unit (a unit-less count
 * of the older figures stays a bare number); null is 未录入. */
export function figureText(value: string | number | null | undefined, unit: string | undefined): string {
  if (value === null || value === undefined) return NO_DATA
  const text = String(value)
  if (unit === 'yuan') return wan(text)
  if (unit === 'percent') return `${text}%`
  const count = text.replace(/\.00$/, '')
  return unit && UNITS[unit] ? `${count} ${UNITS[unit]}` : count
}

function isFigure(value: unknown): value is RawFigure {
  return value !== null && typeof value === 'object' && 'value' in value && 'change_percent' in value
}

/** Every figure of a summary, in the API's order. Money figures without a unit (the older ones, whose
 * value is a decimal string) are yuan; counts are integers. */
export function summaryRows(summary: Record<string, unknown>): FigureRow[] {
  return Object.entries(summary).filter(([, v]) => isFigure(v)).map(([key, v]) => {
    const f = v as RawFigure
    const unit = f.unit ?? (typeof f.value === 'string' ? 'yuan' : undefined)
    const completion = f.completion_percent ?? null
    return {
      key,
      label: FIGURE_LABELS[key] ?? key,
      value: figureText(f.value, unit),
      previous: figureText(f.previous, unit),
      change: f.value === null ? null : f.change_percent,
      target: f.target === null || f.target === undefined ? null : figureText(f.target, unit),
      completion: completion === null ? null : `${completion}%`,
      missing: f.value === null,
    }
  })
}
