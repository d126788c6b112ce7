import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { archiveRecord, changeRecord, listRecords } from '@/records/client'
import { blank, bodyValue, display, fieldError, fromRecord, toBody, type FieldDef } from '@/records/form'
import { inUnit, KINDS, kindOf } from '@/records/kinds'
import { conflictRows, reapplied } from '@/utils/conflict'

const contract = kindOf('technology-contracts')
const platform = kindOf('innovation-platforms')

describe('record form mapping', () => {
  it('starts blank with the preset firm, and sends a create body the API takes', () => {
    const values = blank(contract.fields, { enterprise_id: 7 })
    expect(values).toMatchObject({ enterprise_id: 7, registration_no: '', contract_type: null, notes: '' })
    Object.assign(values, { registration_no: ' 2025430701000123 ', contract_type: 'development', buyer: '湖南某某公司', contract_amount: '1,250,000.50', technology_amount: ' 800000 ', registered_on: '2025-06-30' })
    expect(toBody(contract.fields, values)).toEqual({
      registration_no: '2025430701000123', title: null, contract_type: 'development', enterprise_id: 7, buyer: '湖南某某公司',
      contract_amount: '1250000.50', technology_amount: '800000', registered_on: '2025-06-30', notes: null,
    })
  })

  it('sends a required field left empty as typed, so the API names it beside the field', () => {
    const body = toBody(contract.fields, blank(contract.fields))
    expect(body.registration_no).toBe('')
    expect(body.contract_amount).toBe('')
    expect(body.title).toBeNull()
  })

  it('reads a record into the form and sends only the changed fields', () => {
    const record = { id: 3, version: 2, archived_at: null, name: '常德市工程技术研究中心', kind: 'engineering_center', level: 'municipal', enterprise_id: 5, host_institution: null, recognised_on: '2024-03-01', document_no: null, revoked_on: null, evaluations: [{ evaluated_on: '2025-01-10', result: 'good', note: null }], notes: null }
    const values = fromRecord(platform.fields, record)
    expect(values.host_institution).toBe('')
    expect(values.evaluations).toEqual([{ evaluated_on: '2025-01-10', result: 'good', note: null }])
    values.level = 'provincial'
    values.evaluations = [...(values.evaluations as []), { evaluated_on: '2026-01-10', result: 'passed', note: '  ' }]
    expect(toBody(platform.fields, values, ['level', 'evaluations'])).toEqual({
      level: 'provincial',
      evaluations: [{ evaluated_on: '2025-01-10', result: 'good', note: null }, { evaluated_on: '2026-01-10', result: 'passed', note: null }],
    })
  })

  it('trims list entries and drops empty ones; keeps decimals as exact strings', () => {
    const list: FieldDef = { key: 'techniques', label: '推广新技术', type: 'list' }
    expect(bodyValue(list, [' 水肥一体化 ', '', '稻虾共作'])).toEqual(['水肥一体化', '稻虾共作'])
    const area: FieldDef = { key: 'demonstration_area_mu', label: '示范面积', type: 'decimal' }
    expect(bodyValue(area, '1 200.35')).toBe('1200.35')
    expect(bodyValue(area, '')).toBeNull()
  })

  it('finds the message of a field or of a part of it', () => {
    const errors = { registration_no: '登记编号已存在', 'evaluations.1.evaluated_on': '日期格式不正确' }
    expect(fieldError(errors, 'registration_no')).toBe('登记编号已存在')
    expect(fieldError(errors, 'evaluations')).toBe('日期格式不正确')
    expect(fieldError(errors, 'evaluation')).toBeUndefined()
  })

  it('shows values in the conflict dialog with labels', () => {
    const label = (name: string, value: string): string => `${name}:${value}`
    const typeField = contract.fields.find((f) => f.key === 'contract_type')!
    expect(display(typeField, 'transfer', label)).toBe('contract_type:transfer')
    expect(display(typeField, null, label)).toBe('（空）')
    expect(display({ key: 'foreign_expert', label: '', type: 'bool' }, true, label)).toBe('是')
  })
})

describe('conflict', () => {
  const fields = ['buyer', 'notes', 'title'] as const
  const base = { buyer: 'A', notes: '', title: 'T' }
  const theirs = { buyer: 'B', notes: '', title: 'T' }
  const mine = { buyer: 'A', notes: '重点合同', title: 'T' }
  it('lists the fields either side changed', () => {
    expect(conflictRows(base, theirs, mine, [...fields])).toEqual([
      { field: 'buyer', base: 'A', theirs: 'B', mine: 'A' },
      { field: 'notes', base: '', theirs: '', mine: '重点合同' },
    ])
  })
  it('re-applies my changes on their version', () => {
    expect(reapplied(base, theirs, mine, [...fields])).toEqual({ buyer: 'B', notes: '重点合同', title: 'T' })
  })
})

describe('record kinds against the API contract', () => {
  const spec = JSON.parse(readFileSync(resolve(process.cwd(), '../openapi/openapi.json'), 'utf-8'))
  const schema = (ref: string): { properties: Record<string, unknown>; required?: string[] } => spec.components.schemas[ref.split('/').at(-1)!]
  for (const kind of KINDS) {
    it(`${kind.slug}: every field is in the create body, required ones marked, create-only ones not changeable`, () => {
      const create = schema(spec.paths[kind.path].post.requestBody.content['application/json'].schema.$ref)
      const update = schema(spec.paths[`${kind.path}/{record_id}`].patch.requestBody.content['application/json'].schema.$ref)
      expect(kind.fields.map((f) => f.key).sort()).toEqual(Object.keys(create.properties).sort())
      expect(kind.fields.filter((f) => f.required).map((f) => f.key).sort()).toEqual([...(create.required ?? [])].sort())
      for (const f of kind.fields) expect(f.key in update.properties, f.key).toBe(!f.createOnly)
      // A new record sends no null where the API takes none (an optional enum or count with a default).
      const start = toBody(kind.fields, blank(kind.fields))
      for (const [key, property] of Object.entries(create.properties)) {
        const nullable = JSON.stringify(property).includes('"type":"null"')
        if (!nullable && !(create.required ?? []).includes(key)) expect(start[key], key).not.toBeNull()
      }
      const sorts = spec.paths[kind.path].get.parameters.find((p: { name?: string }) => p.name === 'sort').schema.description as string
      for (const [sort] of kind.sorts) expect(sorts).toContain(sort.replace(/^-/, ''))
    })
  }
})

describe('figures in their unit', () => {
  const lookup = { label: (_: string, v: string | null | undefined) => ({ firms: '家', mu: '亩' })[v ?? ''] ?? String(v), firm: () => '', commissioner: () => '' }
  it('shows yuan as 万元, percent with %, counts with the unit, and 未录入 for no data', () => {
    expect(inUnit('2350000000.00', 'yuan', lookup)).toBe('235,000.00 万元')
    expect(inUnit('2.45', 'percent', lookup)).toBe('2.45%')
    expect(inUnit('300.00', 'firms', lookup)).toBe('300 家')
    expect(inUnit(null, 'firms', lookup)).toBe('未录入')
  })
})

describe('record client', () => {
  afterEach(() => vi.unstubAllGlobals())
  function capture(status = 200, body: unknown = { items: [], total: 0 }): Request[] {
    const seen: Request[] = []
    vi.stubGlobal('fetch', async (request: Request) => {
      seen.push(request)
      return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
    })
    return seen
  }

  it('lists with the filters as query parameters, repeated for lists', async () => {
    const seen = capture()
    await listRecords('/api/v1/technology-contracts', { q: '常德', contract_type: ['development', 'transfer'], limit: 20 })
    const url = new URL(seen[0]!.url)
    expect(url.pathname).toBe('/api/v1/technology-contracts')
    expect(url.searchParams.getAll('contract_type')).toEqual(['development', 'transfer'])
    expect(url.searchParams.get('q')).toBe('常德')
  })

  it('archives and changes with If-Match from the version read', async () => {
    const seen = capture(204)
    await archiveRecord('/api/v1/innovation-platforms', { id: 9, version: 3, archived_at: null })
    expect(seen[0]!.method).toBe('DELETE')
    expect(new URL(seen[0]!.url).pathname).toBe('/api/v1/innovation-platforms/9')
    expect(seen[0]!.headers.get('If-Match')).toBe('"3"')
    const changed = capture(200, { id: 9, version: 4, archived_at: null })
    await changeRecord('/api/v1/innovation-platforms', 9, '"4"', { level: 'provincial' })
    expect(changed[0]!.method).toBe('PATCH')
    expect(changed[0]!.headers.get('If-Match')).toBe('"4"')
    expect(await changed[0]!.json()).toEqual({ level: 'provincial' })
  })
})
