import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listRecords, onRecordsChanged, type RecordRow } from '@/records/client'

interface Commissioner { id: number; name: string; archived: boolean }

function commissioner(row: RecordRow): Commissioner {
  return { id: row.id, name: String(row.name), archived: row.archived_at !== null }
}

// In the order the list is read in (by name, code point by code point, as the server sorts).
function byName(a: Commissioner, b: Commissioner): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id
}

/** The commissioners' names, for the service records' column, filter and picker (one district has
 * dozens, not thousands: the first 200 by name, archived ones included so old records keep a name). A
 * commissioner added, changed, archived or restored here is taken in at once, so a form opened the next moment
 * offers them, then the names are read again (others may have changed some meanwhile). */
export const useCommissionersStore = defineStore('commissioners', () => {
  const all = ref<Commissioner[]>([])
  let loading: Promise<void> | null = null

  function load(force = false): Promise<void> {
    if (force) loading = null
    if (loading) return loading
    // A read overtaken by a newer one (after a change) leaves the names to the newer.
    const reading: Promise<void> = listRecords('/api/v1/commissioners', { include_archived: true, sort: 'name', limit: 200 })
      .then((page) => {
        if (loading !== reading) return
        all.value = page.items.map(commissioner)
      })
      .catch((error: unknown) => {
        if (loading === reading) loading = null
        throw error
      })
    loading = reading
    return reading
  }

  onRecordsChanged('/api/v1/commissioners', (row) => {
    if (!loading) return  // nothing read yet: the first read will have it
    all.value = [...all.value.filter((c) => c.id !== row.id), commissioner(row)].sort(byName)
    void load(true).catch(() => undefined)
  })

  function name(id: number | null | undefined): string {
    if (id === null || id === undefined) return '—'
    return all.value.find((c) => c.id === id)?.name ?? `#${id}`
  }

  return { all, load, name }
})
