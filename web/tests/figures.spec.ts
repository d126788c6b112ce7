import { describe, expect, it } from 'vitest'
import { figureText, NO_DATA, summaryRows } from '@/utils/figures'

describe('summary figures', () => {
  it('shows each figure in its unit and 未录入 for null, never 0', () => {
    expect(figureText('123456789.00', 'yuan')).toBe('12,345.68 万元')
    expect(figureText('2.45', 'percent')).toBe('2.45%')
    expect(figureText('12', 'items')).toBe('12 件')
    expect(figureText('350.50', 'mu')).toBe('350.50 亩')
    expect(figureText(null, 'yuan')).toBe(NO_DATA)
    expect(figureText(0, undefined)).toBe('0')
  })

  it('gives target and completion where a target is set, and marks figures with no data', () => {
    const rows = summaryRows({
      year: 2025,
      as_of: '2025-12-31',
      tech_sme_registered: { value: 270, previous: 240, change_percent: '12.50', target: '300.00', completion_percent: '90.00' },
      rd_expense_above_scale: { value: '150000000.00', previous: '120000000.00', change_percent: '25.00' },
      technology_contract_amount: { value: null, previous: '5000000.00', change_percent: null, unit: 'yuan', target: '10000000.00', completion_percent: null },
      commissioner_trainees: { value: '1200', previous: null, change_percent: null, unit: 'people', target: null, completion_percent: null },
      platforms: [],
    })
    expect(rows.map((r) => r.key)).toEqual(['tech_sme_registered', 'rd_expense_above_scale', 'technology_contract_amount', 'commissioner_trainees'])
    expect(rows[0]).toMatchObject({ label: '科技型中小企业入库', value: '270', previous: '240', change: '12.50', target: '300', completion: '90.00%', missing: false })
    expect(rows[1]).toMatchObject({ value: '15,000.00 万元', target: null, completion: null })
    expect(rows[2]).toMatchObject({ label: '技术合同交易额', value: NO_DATA, previous: '500.00 万元', change: null, target: '1,000.00 万元', completion: null, missing: true })
    expect(rows[3]).toMatchObject({ value: '1200 人次', previous: NO_DATA, missing: false })
  })
})
