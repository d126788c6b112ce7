// Form values of a record kind, from a record read and back to a request body. One description of the
// fields (records/kinds.ts) drives the form, the body and the conflict dialog's display.

export type FieldType =
  | 'text' | 'textarea' | 'date' | 'money' | 'decimal' | 'int' | 'year' | 'enum' | 'bool'
  | 'firm' | 'firms' | 'list' | 'commissioner' | 'evaluations'

export interface FieldDef {
  key: string
  label: string
  type: FieldType
  /** The /meta/enums name of an `enum` field (and of the evaluations' result). */
  enum?: string
  required?: boolean
  /** Set on create only (the update schema has no such field): shown disabled when editing. */
  createOnly?: boolean
  placeholder?: string
  /** The value a new record starts with, where the API takes no null (its default). */
  initial?: Value
}

export interface Evaluation { evaluated_on: string; result: string; note: string | null }
export type Value = string | number | boolean | null | number[] | string[] | Evaluation[]
export type Values = Record<string, Value>

export function blankValue(field: FieldDef): Value {
  if (field.initial !== undefined) return Array.isArray(field.initial) ? [...field.initial] as Value : field.initial
  switch (field.type) {
    case 'bool': return false
    case 'firms': case 'list': case 'evaluations': return []
    case 'text': case 'textarea': case 'money': case 'decimal': return ''
    default: return null
  }
}

export function blank(fields: FieldDef[], preset: Values = {}): Values {
  const out: Values = {}
  for (const f of fields) out[f.key] = preset[f.key] ?? blankValue(f)
  return out
}

/** The form's values of a record as the API sent it (null text becomes '', lists are copied). */
export function fromRecord(fields: FieldDef[], record: Record<string, unknown>): Values {
  const out = blank(fields)
  for (const f of fields) {
    const raw = record[f.key]
    if (raw === null || raw === undefined) continue
    if (f.type === 'evaluations') out[f.key] = (raw as Evaluation[]).map((e) => ({ evaluated_on: e.evaluated_on, result: e.result, note: e.note ?? null }))
    else if (Array.isArray(raw)) out[f.key] = [...raw] as number[] | string[]
    else if (['text', 'textarea', 'money', 'decimal'].includes(f.type)) out[f.key] = String(raw)
    else out[f.key] = raw as Value
  }
  return out
}

/** A decimal typed by a person: spaces and thousands separators dropped; '' stays '' (no value). */
export function decimalText(text: string): string {
  return text.replace(/[\s,，]/g, '')
}

/** One field's value as the API takes it: empty optional text is null, a required one is sent as typed
 * (so the API names the field), decimals stay strings (exact yuan), an evaluation's empty note is null. */
export function bodyValue(field: FieldDef, value: Value): unknown {
  switch (field.type) {
    case 'text': case 'textarea': {
      const text = String(value ?? '').trim()
      return text === '' && !field.required ? null : text
    }
    case 'money': case 'decimal': {
      const text = decimalText(String(value ?? ''))
      return text === '' ? (field.required ? '' : null) : text
    }
    case 'list': return (value as string[]).map((s) => s.trim()).filter(Boolean)
    case 'evaluations': return (value as Evaluation[]).map((e) => ({ ...e, note: e.note?.trim() ? e.note.trim() : null }))
    default: return value
  }
}

/** The body of a create (every field) or of a change (`only` the fields the user changed). */
export function toBody(fields: FieldDef[], values: Values, only?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    if (only && !only.includes(f.key)) continue
    out[f.key] = bodyValue(f, values[f.key] ?? blankValue(f))
  }
  return out
}

/** A value as the conflict dialog and read-only views show it. */
export function display(field: FieldDef, value: Value, label: (enumName: string, value: string) => string): string {
  if (value === null || value === undefined || value === '') return '（空）'
  if (field.type === 'bool') return value ? '是' : '否'
  if (field.type === 'enum' && field.enum) return label(field.enum, String(value))
  if (field.type === 'evaluations') {
    const list = value as Evaluation[]
    return list.length ? list.map((e) => `${e.evaluated_on} ${label(field.enum ?? 'evaluation_result', e.result)}`).join('；') : '（空）'
  }
  if (Array.isArray(value)) return value.length ? value.join('、') : '（空）'
  return String(value)
}

/** The API's message for a field, or for a part of it (`evaluations.0.evaluated_on` → `evaluations`). */
export function fieldError(errors: Record<string, string>, key: string): string | undefined {
  if (errors[key]) return errors[key]
  const part = Object.keys(errors).find((k) => k.startsWith(`${key}.`))
  return part ? errors[part] : undefined
}
