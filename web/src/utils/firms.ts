import { api, ok } from '@/api/client'

export interface FirmSuggestion { value: string; id: number; code: string }

/** Firms whose name, credit code or contact matches what was typed (the first 10), for pickers. */
export async function findFirms(text: string): Promise<FirmSuggestion[]> {
  if (!text.trim()) return []
  try {
    const page = await ok(api.GET('/api/v1/enterprises', { params: { query: { q: text.trim(), limit: 10 } } }))
    return page.items.map((f) => ({ value: f.name, id: f.id, code: f.credit_code }))
  } catch {
    return []
  }
}
