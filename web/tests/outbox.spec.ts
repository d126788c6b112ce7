import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '@/api/client'
import { backoff, sendDraft, type Sender, type VisitDraft } from '@/utils/outbox'

function draft(overrides: Partial<VisitDraft> = {}): VisitDraft {
  return {
    enterprise_id: 7, enterprise_name: '常德恒信科技', visited_on: '2026-11-20', kind: 'phone', summary: '了解研发投入',
    purpose: '', policy_ids: [], with_demand: true, demand: { category: 'funding', description: '缺少中试场地' },
    visit_key: 'visit-key-1', demand_key: 'demand-key-1', visit_id: null, demand_id: null, ...overrides,
  }
}

function recorder(script: Record<'visit' | 'demand', (() => { id: number } | Error)[]>) {
  const calls: { what: string; key: string }[] = []
  const sleeps: number[] = []
  const sender: Sender = {
    async postVisit(d) {
      calls.push({ what: 'visit', key: d.visit_key })
      const next = script.visit.shift()
      if (!next) throw new Error('unexpected visit call')
      const result = next()
      if (result instanceof Error) throw result
      return result
    },
    async postDemand(d, visitId) {
      calls.push({ what: `demand:${visitId}`, key: d.demand_key })
      const next = script.demand.shift()
      if (!next) throw new Error('unexpected demand call')
      const result = next()
      if (result instanceof Error) throw result
      return result
    },
    async sleep(ms) {
      sleeps.push(ms)
    },
  }
  return { sender, calls, sleeps }
}

describe('sendDraft', () => {
  it('retries a lost answer with the same Idempotency-Key until it succeeds', async () => {
    const { sender, calls, sleeps } = recorder({
      visit: [() => new NetworkError('Failed to fetch'), () => new ApiError(503, { title: 'busy' }), () => ({ id: 41 })],
      demand: [() => new NetworkError('Failed to fetch'), () => ({ id: 9 })],
    })
    const done = await sendDraft(draft(), sender, () => 'fresh')
    expect(calls).toEqual([
      { what: 'visit', key: 'visit-key-1' }, { what: 'visit', key: 'visit-key-1' }, { what: 'visit', key: 'visit-key-1' },
      { what: 'demand:41', key: 'demand-key-1' }, { what: 'demand:41', key: 'demand-key-1' },
    ])
    expect(done.visit_id).toBe(41)
    expect(done.demand_id).toBe(9)
    expect(sleeps).toEqual([1000, 2000, 4000])
  })

  it('does not send the visit again when only the demand is missing', async () => {
    const { sender, calls } = recorder({ visit: [], demand: [() => ({ id: 3 })] })
    const done = await sendDraft(draft({ visit_id: 12 }), sender, () => 'fresh')
    expect(calls).toEqual([{ what: 'demand:12', key: 'demand-key-1' }])
    expect(done.demand_id).toBe(3)
  })

  it('stops on a 422 and gives the step a new key, since nothing was stored under the old one', async () => {
    const invalid = new ApiError(422, { title: 'invalid', errors: [{ loc: ['body', 'summary'], msg: '不能为空', type: 'missing' }] })
    const { sender, calls } = recorder({ visit: [() => invalid], demand: [] })
    const d = draft()
    await expect(sendDraft(d, sender, () => 'fresh')).rejects.toBe(invalid)
    expect(calls).toHaveLength(1)
    expect(d.visit_key).toBe('fresh')
    expect(d.visit_id).toBeNull()
    expect(invalid.fields).toEqual({ summary: '不能为空' })
  })

  it('sends no demand when none was raised', async () => {
    const { sender, calls } = recorder({ visit: [() => ({ id: 5 })], demand: [] })
    const done = await sendDraft(draft({ with_demand: false }), sender, () => 'fresh')
    expect(calls.map((c) => c.what)).toEqual(['visit'])
    expect(done.demand_id).toBeNull()
  })

  it('backs off up to 15 seconds', () => {
    expect([1, 2, 3, 4, 5, 9].map(backoff)).toEqual([1000, 2000, 4000, 8000, 15000, 15000])
  })
})
