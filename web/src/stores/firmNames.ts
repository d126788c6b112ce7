import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { api, ok } from '@/api/client'

interface Row { enterprise_id: number; enterprise?: unknown; enterprise_name?: unknown }

/**
 * Firm names for list rows. Rows that carry their firm (`enterprise: {id, name, credit_code}`) need no
 * request; for rows that carry only the id, the names of one screen's rows are looked up once each.
 */
export const useFirmNamesStore = defineStore('firmNames', () => {
  const names = reactive(new Map<number, string>())
  const pending = new Set<number>()

  function nested(row: Row): string | null {
    const firm = row.enterprise as { name?: unknown } | undefined
    if (firm && typeof firm.name === 'string') return firm.name
    if (typeof row.enterprise_name === 'string') return row.enterprise_name
    return null
  }

  function name(row: Row): string {
    return nested(row) ?? names.get(row.enterprise_id) ?? `企业 #${row.enterprise_id}`
  }

  async function ensure(rows: Row[], limit = 100): Promise<void> {
    const missing = [...new Set(rows.filter((r) => nested(r) === null).map((r) => r.enterprise_id))]
      .filter((id) => !names.has(id) && !pending.has(id))
      .slice(0, limit)
    for (const id of missing) pending.add(id)
    const queue = [...missing]
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          const firm = await ok(api.GET('/api/v1/enterprises/{enterprise_id}', { params: { path: { enterprise_id: id } } }))
          names.set(id, firm.name)
        } catch {
          // An archived or unknown firm keeps its id.
        } finally {
          pending.delete(id)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(6, queue.length) }, worker))
  }

  return { name, ensure }
})
