import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '@/api/client'
import { backoff, sendDraft, visitBody, type Sender, type VisitBody, type VisitDraft } from '@/utils/outbox'

function draft(overrides: Partial<VisitDraft> = {}): VisitDraft {
  return {
    enterprise_id: 7, enterprise_name: '常德恒信科技', visited_on: '2026-11-20', kind: 'phone', summary: '了解研发投入',
    purpose: '', policy_ids: [], with_demand: true, demand: { category: 'funding', description: '缺少中试场地', assignee_id: 4 },
    key: 'key-1', sent: null, ...overrides,
  }
}

type Answer = () => { id: number; demands: { id: number }[] } | Error

function recorder(script: Answer[]) {
  const calls: { body: VisitBody; key: string }[] = []
  const sleeps: number[] = []
  const saved: VisitDraft[] = []
  const sender: Sender = {
    async postVisit(body, key) {
      calls.push({ body: structuredClone(body), key })
      const next = script.shift()
      if (!next) throw new Error('unexpected call')
      const result = next()
      if (result instanceof Error) throw result
      return result
    },
    async sleep(ms) {
      sleeps.push(ms)
    },
    save(d) {
      saved.push(structuredClone(d))
    },
  }
  return { sender, calls, sleeps, saved }
}

describe('sendDraft', () => {
  it('sends the visit and its demand in one request, retrying a lost answer with the same key and body', async () => {
    const { sender, calls, sleeps } = recorder([
      () => new NetworkError('Failed to fetch'), () => new ApiError(503, { title: 'busy' }),
      () => ({ id: 41, demands: [{ id: 9 }] }),
    ])
    const done = await sendDraft(draft(), sender, () => 'fresh')
    expect(calls.map((c) => c.key)).toEqual(['key-1', 'key-1', 'key-1'])
    expect(calls[0]!.body).toEqual({
      enterprise_id: 7, visited_on: '2026-11-20', kind: 'phone', summary: '了解研发投入', purpose: null, policy_ids: [],
      demands: [{ category: 'funding', description: '缺少中试场地', due_on: null, assignee_id: 4 }],
    })
    expect(calls[1]!.body).toEqual(calls[0]!.body)
    expect(calls[2]!.body).toEqual(calls[0]!.body)
    expect(done).toEqual({ visitId: 41, demandIds: [9] })
    expect(sleeps).toEqual([1000, 2000])
  })

  it('freezes the body with its key before the first attempt, so a reload resends exactly that', async () => {
    const first = recorder([() => new NetworkError('Failed to fetch')])
    first.sender.cancelled = () => first.calls.length > 0
    const d = draft()
    await expect(sendDraft(d, first.sender, () => 'fresh')).rejects.toThrow('已暂停')
    expect(first.saved[0]!.sent).toEqual(visitBody(draft()))
    // The tab is closed; the stored draft comes back and the user had typed into the summary meanwhile.
    const reloaded: VisitDraft = { ...structuredClone(first.saved[0]!), summary: '改过的内容' }
    const second = recorder([() => ({ id: 41, demands: [{ id: 9 }] })])
    await sendDraft(reloaded, second.sender, () => 'fresh')
    expect(second.calls).toEqual([{ key: 'key-1', body: first.calls[0]!.body }])
  })

  it('stops on a 422 and unfreezes the draft with a new key, since nothing was stored under the old one', async () => {
    const invalid = new ApiError(422, { title: 'invalid', errors: [{ loc: ['body', 'demands', 0, 'description'], msg: '不能为空', type: 'missing' }] })
    const { sender, calls } = recorder([() => invalid])
    const d = draft()
    await expect(sendDraft(d, sender, () => 'fresh')).rejects.toBe(invalid)
    expect(calls).toHaveLength(1)
    expect(d.key).toBe('fresh')
    expect(d.sent).toBeNull()
    expect(invalid.fields).toEqual({ 'demands.0.description': '不能为空' })
  })

  it('keeps the key and the frozen body when the user pauses a failing send', async () => {
    const { sender } = recorder([() => new NetworkError('Failed to fetch')])
    let asked = 0
    sender.cancelled = () => ++asked > 1
    const d = draft()
    await expect(sendDraft(d, sender, () => 'fresh')).rejects.toThrow('已暂停')
    expect(d.key).toBe('key-1')
    expect(d.sent).not.toBeNull()
  })

  it('sends no demand when none was raised', async () => {
    const { sender, calls } = recorder([() => ({ id: 5, demands: [] })])
    const done = await sendDraft(draft({ with_demand: false }), sender, () => 'fresh')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.body.demands).toBeUndefined()
    expect(done).toEqual({ visitId: 5, demandIds: [] })
  })

  it('backs off up to 15 seconds', () => {
    expect([1, 2, 3, 4, 5, 9].map(backoff)).toEqual([1000, 2000, 4000, 8000, 15000, 15000])
  })
})
