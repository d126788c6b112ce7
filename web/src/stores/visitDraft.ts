import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { api, idempotent, newKey, ok } from '@/api/client'
import { Cancelled, sendDraft, type Sent, type VisitDraft } from '@/utils/outbox'
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
    key: newKey(),
    sent: null,
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

  async function send(): Promise<Sent | null> {
    sending.value = true
    attempts.value = 0
    lastFailure.value = ''
    cancel = false
    try {
      const done = await sendDraft(
        draft.value,
        {
          postVisit: (body, key) => ok(api.POST('/api/v1/visits', { body, ...idempotent(key) })),
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
      discard()
      return done
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
