import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listRecords, onRecordsChanged } from '@/records/client'

/** The commissioners' names, for the service records' column, filter and picker (one district has
 * dozens, not thousands: the first 200 by name, archived ones included so old records keep a name). Read
 * again after a commissioner is added, changed, archived or restored here, so the pickers offer them at once. */
export const useCommissionersStore = defineStore('commissioners', () => {
  const all = ref<{ id: number; name: string; archived: boolean }[]>([])
  let loading: Promise<void> | null = null

  function load(force = false): Promise<void> {
    if (force) loading = null
    if (loading) return loading
    // A read overtaken by a newer one (after a change) leaves the names to the newer.
    const reading: Promise<void> = listRecords('/api/v1/commissioners', { include_archived: true, sort: 'name', limit: 200 })
      .then((page) => {
        if (loading !== reading) return
        all.value = page.items.map((r) => ({ id: r.id, name: String(r.name), archived: r.archived_at !== null }))
      })
      .catch((error: unknown) => {
        if (loading === reading) loading = null
        throw error
      })
    loading = reading
    return reading
  }

  onRecordsChanged('/api/v1/commissioners', () => {
    if (loading) void load(true).catch(() => undefined)
  })

  function name(id: number | null | undefined): string {
    if (id === null || id === undefined) return '—'
    return all.value.find((c) => c.id === id)?.name ?? `#${id}`
  }

  return { all, load, name }
})
