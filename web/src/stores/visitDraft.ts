import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { api, idempotent, newKey, ok } from '@/api/client'
import { Cancelled, sendDraft, type VisitDraft } from '@/utils/outbox'
import { today } from '@/utils/format'

export const DRAFT_KEY = 'seedbed.visitDraft'

export function emptyDraft(): VisitDraft {
  return {
    enterprise_id: null,
    enterprise_name: '',
    visited_on: today(),
    kind: 'on_site',
    summary: '',
    purpose: '',
    policy_ids: [],
    with_demand: false,
    demand: { category: 'funding', description: '' },
    visit_key: newKey(),
    demand_key: newKey(),
    visit_id: null,
    demand_id: null,
  }
}

export function loadDraft(): VisitDraft | null {
  const raw = localStorage.getItem(DRAFT_KEY)
  if (!raw) return null
  try {
    return { ...emptyDraft(), ...(JSON.parse(raw) as Partial<VisitDraft>) }
  } catch {
    return null
  }
}

/** The visit being logged: kept in local storage on every change until the server acknowledged it. */
export const useVisitDraftStore = defineStore('visitDraft', () => {
  const restored = loadDraft()
  const draft = ref<VisitDraft>(restored ?? emptyDraft())
  const wasRestored = ref(restored !== null && (restored.summary !== '' || restored.enterprise_id !== null))
  const sending = ref(false)
  const attempts = ref(0)
  const lastFailure = ref('')
  let cancel = false

  function save(value: VisitDraft = draft.value): void {
    localStorage.setItem(DRAFT_KEY, JSON.stringify(value))
  }

  watch(draft, (value) => save(value), { deep: true })

  function discard(): void {
    localStorage.removeItem(DRAFT_KEY)
    draft.value = emptyDraft()
    wasRestored.value = false
  }

  async function send(): Promise<{ visitId: number; demandId: number | null } | null> {
    sending.value = true
    attempts.value = 0
    lastFailure.value = ''
    cancel = false
    try {
      const done = await sendDraft(
        draft.value,
        {
          postVisit: (d) =>
            ok(
              api.POST('/api/v1/visits', {
                body: {
                  enterprise_id: d.enterprise_id ?? 0,
                  visited_on: d.visited_on,
                  kind: d.kind as 'on_site',
                  summary: d.summary,
                  purpose: d.purpose || null,
                  policy_ids: d.policy_ids,
                },
                ...idempotent(d.visit_key),
              }),
            ),
          postDemand: (d, visitId) =>
            ok(
              api.POST('/api/v1/demands', {
                body: {
                  enterprise_id: d.enterprise_id ?? 0,
                  visit_id: visitId,
                  category: d.demand.category as 'funding',
                  description: d.demand.description,
                  due_on: d.demand.due_on || null,
                },
                ...idempotent(d.demand_key),
              }),
            ),
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          onRetry: (attempt, reason) => {
            attempts.value = attempt
            lastFailure.value = reason
          },
          cancelled: () => cancel,
          save,
        },
        newKey,
      )
      const result = { visitId: done.visit_id ?? 0, demandId: done.demand_id }
      discard()
      return result
    } catch (error) {
      if (error instanceof Cancelled) return null
      throw error
    } finally {
      sending.value = false
    }
  }

  function stop(): void {
    cancel = true
  }

  return { draft, wasRestored, sending, attempts, lastFailure, send, stop, discard, save }
})
