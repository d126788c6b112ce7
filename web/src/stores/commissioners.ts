import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listRecords } from '@/records/client'

/** The commissioners' names, for the service records' column, filter and picker (one district has
 * dozens, not thousands: the first 200 by name, archived ones included so old records keep a name). */
export const useCommissionersStore = defineStore('commissioners', () => {
  const all = ref<{ id: number; name: string; archived: boolean }[]>([])
  let loading: Promise<void> | null = null

  function load(force = false): Promise<void> {
    if (force) loading = null
    loading ??= listRecords('/api/v1/commissioners', { include_archived: true, sort: 'name', limit: 200 })
      .then((page) => {
        all.value = page.items.map((r) => ({ id: r.id, name: String(r.name), archived: r.archived_at !== null }))
      })
      .catch((error: unknown) => {
        loading = null
        throw error
      })
    return loading
  }

  function name(id: number | null | undefined): string {
    if (id === null || id === undefined) return '—'
    return all.value.find((c) => c.id === id)?.name ?? `#${id}`
  }

  return { all, load, name }
})
