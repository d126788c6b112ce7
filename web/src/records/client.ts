// The six routes every archivable record kind shares (app/records/routes.py): list, create, read,
// change (If-Match), archive (If-Match) and restore. Each kind's paths are checked against the generated
// `paths`, and its rows are typed with the generated schemas in records/kinds.ts; the calls themselves go
// through one untyped view of the generated client, since the six kinds differ only in their bodies.
import { api, idempotent, ifMatch, newKey, ok, withEtag, type Schemas } from '@/api/client'
import type { paths } from '@/api/schema'

export type RecordPath =
  | '/api/v1/technology-contracts' | '/api/v1/innovation-platforms' | '/api/v1/cooperation-agreements'
  | '/api/v1/district-indicators' | '/api/v1/yearly-targets' | '/api/v1/commissioners' | '/api/v1/commissioner-services'

// Fails to compile if a path leaves the API contract.
type Exists<P> = P extends keyof paths ? (`${P & string}/{record_id}` extends keyof paths ? true : false) : false
const contract: Exists<RecordPath> = true
void contract

/** What every record of these kinds carries. */
export interface RecordRow { id: number; version: number; archived_at: string | null; [field: string]: unknown }
export interface RecordPage { items: RecordRow[]; total: number }

type Init = { params?: { path?: Record<string, number>; query?: Record<string, unknown>; header?: Record<string, string> }; body?: unknown; headers?: Record<string, string> }
type Call = (url: string, init?: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>
const raw = api as unknown as { GET: Call; POST: Call; PATCH: Call; DELETE: Call }

// Who keeps a copy of a kind's records (the commissioners' names), told after each change made here.
const listeners = new Map<RecordPath, Set<(row: RecordRow) => void>>()

/** Calls `listener` with the record as it now is after every create, change, archive and restore of
 * `collection`'s records: a copy takes it in at once, before any list is read again. */
export function onRecordsChanged(collection: RecordPath, listener: (row: RecordRow) => void): void {
  const known = listeners.get(collection) ?? new Set<(row: RecordRow) => void>()
  known.add(listener)
  listeners.set(collection, known)
}

function changed(collection: RecordPath, row: RecordRow): void {
  for (const listener of listeners.get(collection) ?? []) listener(row)
}

function item(collection: RecordPath, id: number): [string, Init] {
  return [`${collection}/{record_id}`, { params: { path: { record_id: id } } }]
}

export async function listRecords(collection: RecordPath, query: Record<string, unknown>): Promise<RecordPage> {
  return (await ok(raw.GET(collection, { params: { query } }))) as RecordPage
}

export async function readRecord(collection: RecordPath, id: number): Promise<{ data: RecordRow; etag: string }> {
  const [url, init] = item(collection, id)
  return (await withEtag(raw.GET(url, init))) as { data: RecordRow; etag: string }
}

export async function createRecord(collection: RecordPath, body: Record<string, unknown>): Promise<RecordRow> {
  const row = (await ok(raw.POST(collection, { body, ...idempotent(newKey()) }))) as RecordRow
  changed(collection, row)
  return row
}

export async function changeRecord(collection: RecordPath, id: number, etag: string, body: Record<string, unknown>): Promise<RecordRow> {
  const [url, init] = item(collection, id)
  const row = (await ok(raw.PATCH(url, { ...init, body, ...ifMatch(etag) }))) as RecordRow
  changed(collection, row)
  return row
}

export async function archiveRecord(collection: RecordPath, row: RecordRow): Promise<void> {
  const [url, init] = item(collection, row.id)
  await ok(raw.DELETE(url, { ...init, ...ifMatch(`"${row.version}"`) }))
  // Answered 204: the record as archived is the one sent, stamped now (the read that follows has the server's).
  changed(collection, { ...row, version: row.version + 1, archived_at: new Date().toISOString() })
}

export async function restoreRecord(collection: RecordPath, row: RecordRow): Promise<RecordRow> {
  const [url, init] = item(collection, row.id)
  const restored = (await ok(raw.POST(`${url}/restore`, { ...init, ...ifMatch(`"${row.version}"`) }))) as RecordRow
  changed(collection, restored)
  return restored
}

/** Rows of one kind, typed by its generated read schema. */
export type Row<K extends keyof Schemas> = Schemas[K] & RecordRow
