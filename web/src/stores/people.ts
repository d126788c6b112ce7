import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import { api, ok, type Schemas } from '@/api/client'

export type Person = Schemas['Person']

/**
 * Colleagues' names for every role, from the read-only `/people` directory: `name(id)` shows a user id
 * as a name (once `ensure` looked it up), `colleagues` are the active accounts a demand can be assigned
 * to. Each id is asked for once per session; ids are looked up in batches of up to 100.
 */
export const usePeopleStore = defineStore('people', () => {
  const byId = reactive(new Map<number, Person>())
  const colleagues = ref<Person[]>([])
  const pending = new Set<number>()
  let loadingColleagues: Promise<void> | null = null

  function remember(items: Person[]): void {
    for (const person of items) byId.set(person.id, person)
  }

  function name(id: number | null | undefined): string {
    if (id === null || id === undefined) return '—'
    return byId.get(id)?.display_name ?? `#${id}`
  }

  /** The active staff and admins, for assignee pickers (loaded once). */
  function loadColleagues(): Promise<void> {
    loadingColleagues ??= (async () => {
      const page = await ok(api.GET('/api/v1/people', { params: { query: { limit: 200 } } }))
      remember(page.items)
      colleagues.value = page.items.filter((p) => p.role !== 'viewer')
    })().catch((error: unknown) => {
      loadingColleagues = null
      throw error
    })
    return loadingColleagues
  }

  /** Looks up the names of these user ids that are not known yet (deactivated accounts included). */
  async function ensure(ids: (number | null | undefined)[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id): id is number => typeof id === 'number' && !byId.has(id) && !pending.has(id))
    for (let start = 0; start < missing.length; start += 100) {
      const batch = missing.slice(start, start + 100)
      for (const id of batch) pending.add(id)
      try {
        const page = await ok(api.GET('/api/v1/people', { params: { query: { id: batch, include_inactive: true, limit: 100 } } }))
        remember(page.items)
      } catch {
        // Unknown ids keep showing as #id.
      } finally {
        for (const id of batch) pending.delete(id)
      }
    }
  }

  function reset(): void {
    byId.clear()
    colleagues.value = []
    loadingColleagues = null
  }

  return { name, ensure, colleagues, loadColleagues, reset }
})
