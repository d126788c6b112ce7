// A 412 on save: someone changed the record since it was read. The dialog shows, for every field either
// side changed, what the user read, what the other person saved and what the user typed; "re-apply"
// takes the other person's version and puts the user's own changes on top.
import { ref, type Ref } from 'vue'
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

/** A form's 412 state: the other person's version once fetched, and the two ways out of the dialog. */
export function useConflict<T extends Record<string, unknown>>(form: Ref<T>, base: Ref<T>, etag: Ref<string>, fields: () => (keyof T)[]) {
  const conflict = ref(null) as Ref<{ theirs: T; etag: string } | null>
  function settle(next: T): void {
    if (!conflict.value) return
    base.value = conflict.value.theirs
    etag.value = conflict.value.etag
    form.value = next
    conflict.value = null
  }
  /** Their version as the new base with my changes on top; false when there was nothing to re-apply. */
  function reapplyMine(): boolean {
    if (!conflict.value) return false
    settle(reapplied(base.value, conflict.value.theirs, form.value, fields()))
    return true
  }
  function discardMine(): void {
    if (conflict.value) settle({ ...conflict.value.theirs })
  }
  return { conflict, reapplyMine, discardMine }
}
