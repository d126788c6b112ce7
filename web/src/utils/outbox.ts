// Sending a visit (and the demand raised in it) from a phone on a bad connection. The visit and its demand
// go in one request (`POST /visits` with `demands: [...]`, stored atomically) under one Idempotency-Key.
// The body is frozen with its key at the first attempt and kept in the draft, so every retry — after a lost
// answer, a pause or a reload — sends the same bytes under the same key: the server answers a repeat with
// the first answer instead of storing the visit twice. A draft is dropped only once the server answered.
import { ApiError, NetworkError, type Schemas } from '@/api/client'

export interface DemandDraft {
  category: string
  description: string
  due_on?: string
  assignee_id?: number | null
}

export type VisitBody = Schemas['VisitCreate']

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
  /** The Idempotency-Key, made with the draft and kept across retries and reloads. */
  key: string
  /** The body of a send whose outcome is not known yet; while set, retries send exactly this. */
  sent: VisitBody | null
}

export interface Sent {
  visitId: number
  demandIds: number[]
}

export interface Sender {
  postVisit(body: VisitBody, key: string): Promise<{ id: number; demands: { id: number }[] }>
  sleep(ms: number): Promise<void>
  /** Called before each retry with the attempt number and the reason. */
  onRetry?(attempt: number, reason: string): void
  /** Stops retrying when it answers true (the user paused). */
  cancelled?(): boolean
  /** Persists the draft (the frozen body and its key) before the first attempt and after an answer. */
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

/** The request body of a draft: the visit and, when one was raised, its demand. */
export function visitBody(draft: VisitDraft): VisitBody {
  const body: VisitBody = {
    enterprise_id: draft.enterprise_id ?? 0,
    visited_on: draft.visited_on,
    kind: draft.kind as VisitBody['kind'],
    summary: draft.summary,
    purpose: draft.purpose || null,
    policy_ids: draft.policy_ids,
  }
  if (draft.with_demand) {
    body.demands = [{
      category: draft.demand.category as Schemas['DemandCategory'],
      description: draft.demand.description,
      due_on: draft.demand.due_on || null,
      assignee_id: draft.demand.assignee_id ?? null,
    }]
  }
  return body
}

/**
 * Sends the draft in one request until the server answers. Retries network failures and 5xx answers with
 * the same key and body; a 4xx answer is thrown to the caller (the draft needs fixing) after unfreezing the
 * body and giving the draft a fresh key, because the server stored nothing under the old one.
 */
export async function sendDraft(draft: VisitDraft, sender: Sender, newKey: () => string): Promise<Sent> {
  if (draft.sent === null) {
    draft.sent = visitBody(draft)
    sender.save?.(draft)
  }
  const body = draft.sent
  for (let attempt = 0; ; ) {
    if (sender.cancelled?.()) throw new Cancelled('已暂停')
    try {
      const visit = await sender.postVisit(body, draft.key)
      return { visitId: visit.id, demandIds: visit.demands.map((d) => d.id) }
    } catch (error) {
      if (!isRetryable(error)) {
        if (error instanceof ApiError) {
          draft.sent = null
          draft.key = newKey()
        }
        sender.save?.(draft)
        throw error
      }
      attempt += 1
      sender.onRetry?.(attempt, error instanceof Error ? error.message : String(error))
      await sender.sleep(backoff(attempt))
    }
  }
}
