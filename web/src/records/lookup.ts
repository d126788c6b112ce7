import { useCommissionersStore } from '@/stores/commissioners'
import { useFirmNamesStore } from '@/stores/firmNames'
import { useMetaStore } from '@/stores/meta'
import type { RecordRow } from './client'
import type { Kind, Lookup } from './kinds'

/** Labels and names for a kind's columns, and a way to fetch the names a page of rows needs. */
export function useLookup(): Lookup & { prepare: (kind: Kind, rows: RecordRow[]) => Promise<void> } {
  const meta = useMetaStore()
  const firmNames = useFirmNamesStore()
  const commissioners = useCommissionersStore()
  return {
    label: (name, value) => meta.label(name, value),
    firm: (id) => (id ? firmNames.name({ enterprise_id: id }) : '—'),
    commissioner: (id) => commissioners.name(id),
    async prepare(kind, rows) {
      const ids = new Set<number>()
      for (const row of rows) {
        if (typeof row.enterprise_id === 'number') ids.add(row.enterprise_id)
        if (Array.isArray(row.served_firm_ids)) for (const id of row.served_firm_ids as number[]) ids.add(id)
      }
      const work: Promise<unknown>[] = [firmNames.ensure([...ids].map((id) => ({ enterprise_id: id })))]
      if (kind.slug === 'commissioner-services') work.push(commissioners.load().catch(() => undefined))
      await Promise.all(work)
    },
  }
}
