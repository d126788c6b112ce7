// The only way the app talks to the server: the client generated from openapi/openapi.json (types in
// schema.d.ts, regenerated with `npm run gen:api`) plus the few things every call needs — the bearer
// token, If-Match from the ETag read, an Idempotency-Key per user action, and problem+json turned into
// messages and field errors.
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']

const TOKEN_KEY = 'seedbed.token'

// fetch is looked up at each call (not captured once), so tests can stand in for the network.
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '', fetch: (request) => globalThis.fetch(request) })

let onUnauthorized: (() => void) | null = null

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

export function storedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY)
}

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token)
  else localStorage.removeItem(TOKEN_KEY)
}

api.use({
  onRequest({ request }) {
    const token = storedToken()
    if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`)
    return request
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.includes('/auth/token')) onUnauthorized?.()
    return response
  },
})

/** An RFC 9457 problem as the API sends it; tolerant of fields it may add. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string | null
  errors?: { loc: (string | number)[]; msg: string; type?: string }[] | null
  [key: string]: unknown
}

export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem
  /** Field name (last part of `loc`, nested paths joined by dots after `body`) → message. */
  readonly fields: Record<string, string>

  constructor(status: number, problem: Problem) {
    super(problemMessage(status, problem))
    this.status = status
    this.problem = problem
    this.fields = fieldErrors(problem)
  }
}

/** A network failure (no answer at all): the caller may retry with the same Idempotency-Key. */
export class NetworkError extends Error {}

export function problemMessage(status: number, problem: Problem): string {
  const first = problem.errors?.[0]
  if (problem.detail) return problem.detail
  if (first) return first.msg
  return problem.title ?? `请求失败（${status}）`
}

export function fieldErrors(problem: Problem): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of problem.errors ?? []) {
    const path = item.loc.filter((part) => part !== 'body' && part !== 'query' && part !== 'path')
    const key = path.map(String).join('.')
    if (key && !(key in out)) out[key] = item.msg
  }
  return out
}

interface Result<T> {
  data?: T
  error?: unknown
  response: Response
}

/** Awaits a generated call: its data, or an ApiError / NetworkError. */
export async function ok<T>(call: Promise<Result<T>>): Promise<T> {
  return (await withEtag(call)).data
}

/** Like ok(), with the record's ETag (the header, or the body's version). */
export async function withEtag<T>(call: Promise<Result<T>>): Promise<{ data: T; etag: string }> {
  let result: Result<T>
  try {
    result = await call
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : String(error))
  }
  const { data, error, response } = result
  if (!response.ok) {
    const problem = (error && typeof error === 'object' ? error : { title: String(error ?? '') }) as Problem
    throw new ApiError(response.status, problem)
  }
  const version = (data as { version?: unknown } | undefined)?.version
  const etag = response.headers.get('ETag') ?? (typeof version === 'number' ? `"${version}"` : '')
  return { data: data as T, etag }
}

/** The ETag of a record read from a list (lists carry no per-row ETag header): its version. */
export function etagOf(row: { version: number }): string {
  return `"${row.version}"`
}

export function ifMatch(etag: string): { headers: { 'If-Match': string } } {
  return { headers: { 'If-Match': etag } }
}

export function idempotent(key: string): { headers: Record<string, string> } {
  return { headers: { 'Idempotency-Key': key } }
}

export function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID()
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`
}

/** Downloads a file the API renders (reports, exports, templates) with the bearer token. */
export async function download(url: string, fallbackName: string): Promise<void> {
  const token = storedToken()
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  if (!response.ok) {
    let problem: Problem = {}
    try {
      problem = (await response.json()) as Problem
    } catch {
      problem = { title: response.statusText }
    }
    throw new ApiError(response.status, problem)
  }
  const blob = await response.blob()
  const disposition = response.headers.get('Content-Disposition') ?? ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  const name = star?.[1] ? decodeURIComponent(star[1]) : (plain?.[1] ?? fallbackName)
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = name
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
}
