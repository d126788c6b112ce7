// A 412 on save: someone changed the record since it was read. The dialog shows, for every field either
// side changed, what the user read, what the other person saved and what the user typed; "re-apply"
// takes the other person's version and puts the user's own changes on top.
import { changedFields } from './format'

export interface ConflictRow<K> { field: K; base: unknown; theirs: unknown; mine: unknown }

export function conflictRows<T extends Record<string, unknown>>(base: T, theirs: T, mine: T, fields: (keyof T)[]): ConflictRow<keyof T>[] {
  const changed = new Set([...changedFields(base, theirs, fields), ...changedFields(base, mine, fields)])
  return fields.filter((f) => changed.has(f)).map((field) => ({ field, base: base[field], theirs: theirs[field], mine: mine[field] }))
}

/** Their version with my changes (against what I read) on top. */
export function reapplied<T extends Record<string, unknown>>(base: T, theirs: T, mine: T, fields: (keyof T)[]): T {
  const next = { ...theirs }
  for (const f of changedFields(base, mine, fields)) next[f] = mine[f]
  return next
}
