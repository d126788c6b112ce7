// Sending a visit (and the demand raised in it) from a phone on a bad connection: every attempt of one
// draft carries the same Idempotency-Keys, so a retry after a lost answer returns the first answer instead
// of storing the visit twice; a draft is dropped only once the server has acknowledged all of it.
import { ApiError, NetworkError } from '@/api/client'

export interface DemandDraft {
  category: string
  description: string
  due_on?: string
}

export interface VisitDraft {
  enterprise_id: number | null
  enterprise_name: string
  visited_on: string
  kind: string
  summary: string
  purpose: string
  policy_ids: number[]
  with_demand: boolean
  demand: DemandDraft
  /** Idempotency keys, made with the draft and kept across retries and reloads. */
  visit_key: string
  demand_key: string
  /** Set once the server stored the visit: a retry then only sends what is still missing. */
  visit_id: number | null
  demand_id: number | null
}

export interface Sender {
  postVisit(draft: VisitDraft): Promise<{ id: number }>
  postDemand(draft: VisitDraft, visitId: number): Promise<{ id: number }>
  sleep(ms: number): Promise<void>
  /** Called before each retry with the attempt number and the reason. */
  onRetry?(attempt: number, reason: string): void
  /** Stops retrying when it answers true (the user cancelled). */
  cancelled?(): boolean
  /** Persists the draft after each acknowledged step. */
  save?(draft: VisitDraft): void
}

/** Whether an error means "try again with the same key" rather than "the request is wrong". */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429 || error.status === 408
  return false
}

export function backoff(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 15_000)
}

export class Cancelled extends Error {}

/**
 * Sends the draft until the server has stored all of it. Retries network failures and 5xx answers with
 * the same keys; a 4xx answer is thrown to the caller (the draft needs fixing), after giving the step a
 * fresh key, because the server stored nothing under the old one.
 */
export async function sendDraft(draft: VisitDraft, sender: Sender, newKey: () => string): Promise<VisitDraft> {
  let attempt = 0
  const step = async <T>(run: () => Promise<T>, renewKey: () => void): Promise<T> => {
    for (;;) {
      if (sender.cancelled?.()) throw new Cancelled('已取消')
      try {
        return await run()
      } catch (error) {
        if (!isRetryable(error)) {
          if (error instanceof ApiError) renewKey()
          sender.save?.(draft)
          throw error
        }
        attempt += 1
        sender.onRetry?.(attempt, error instanceof Error ? error.message : String(error))
        await sender.sleep(backoff(attempt))
      }
    }
  }
  if (draft.visit_id === null) {
    const visit = await step(() => sender.postVisit(draft), () => (draft.visit_key = newKey()))
    draft.visit_id = visit.id
    sender.save?.(draft)
  }
  if (draft.with_demand && draft.demand_id === null) {
    const visitId = draft.visit_id
    const demand = await step(() => sender.postDemand(draft, visitId), () => (draft.demand_key = newKey()))
    draft.demand_id = demand.id
    sender.save?.(draft)
  }
  return draft
}
