import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { DRAFT_KEY, useVisitDraftStore } from '@/stores/visitDraft'
import { useAuthStore } from '@/stores/auth'
import { usePeopleStore } from '@/stores/people'
import { useCommissionersStore } from '@/stores/commissioners'
import { archiveRecord, createRecord } from '@/records/client'
import EligibilityCard from '@/views/enterprises/EligibilityCard.vue'

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
})

describe('visit draft store', () => {
  it('keeps every change in local storage and restores it in a new tab', async () => {
    const store = useVisitDraftStore()
    store.draft.summary = '企业反映缺少中试场地'
    store.draft.enterprise_id = 12
    await nextTick()
    const saved = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? '{}')
    expect(saved.summary).toBe('企业反映缺少中试场地')
    expect(saved.key).toBe(store.draft.key)

    setActivePinia(createPinia())
    const reopened = useVisitDraftStore()
    expect(reopened.wasRestored).toBe(true)
    expect(reopened.draft.summary).toBe('企业反映缺少中试场地')
    expect(reopened.draft.key).toBe(store.draft.key)
  })

  it('starts empty with fresh keys after discarding', () => {
    const store = useVisitDraftStore()
    const key = store.draft.key
    store.discard()
    expect(localStorage.getItem(DRAFT_KEY)).toBeNull()
    expect(store.draft.key).not.toBe(key)
    expect(store.wasRestored).toBe(false)
  })
})

describe('commissioners store', () => {
  it('takes a commissioner added or archived here in at once, then reads the names again', async () => {
    const people: { id: number; name: string; version: number; archived_at: string | null }[] = [
      { id: 1, name: '李特派', version: 1, archived_at: null }]
    let reads = 0
    let answerRead: () => void = () => undefined
    const realFetch = globalThis.fetch
    globalThis.fetch = (async (request: Request) => {
      if (request.method === 'POST') {
        people.push({ id: 2, name: '周特派', version: 1, archived_at: null })
        return Response.json(people[1], { status: 201 })
      }
      if (request.method === 'DELETE') {
        people[0] = { ...people[0]!, version: 2, archived_at: '2026-11-28T08:00:00Z' }
        return new Response(null, { status: 204 })
      }
      reads += 1
      if (reads === 1) return Response.json({ items: people, total: people.length })
      // Later reads wait until the test lets them answer: what the store shows meanwhile is its own copy.
      await new Promise<void>((resolve) => (answerRead = resolve))
      return Response.json({ items: people.map((p) => ({ ...p, name: `${p.name}（服务器）` })), total: people.length })
    }) as typeof fetch
    try {
      const store = useCommissionersStore()
      await store.load()
      expect(store.all.map((c) => c.name)).toEqual(['李特派'])
      await createRecord('/api/v1/commissioners', { name: '周特派' })
      expect(store.all.map((c) => c.name)).toEqual(['周特派', '李特派'])  // by code point, as the server sorts
      expect(reads).toBe(2)
      answerRead()
      await flushPromises()
      expect(store.all.map((c) => c.name)).toEqual(['李特派（服务器）', '周特派（服务器）'])
      await archiveRecord('/api/v1/commissioners', { id: 1, version: 1, archived_at: null })
      expect(store.all.find((c) => c.id === 1)?.archived).toBe(true)
      expect(reads).toBe(3)
    } finally {
      globalThis.fetch = realFetch
    }
  })
})

describe('auth store', () => {
  it('lets staff and admins write, viewers only read', () => {
    const auth = useAuthStore()
    const user = { id: 1, username: 'u', display_name: 'U', active: true, last_login_at: null, version: 1, created_at: '', updated_at: '' }
    for (const [role, write, admin] of [['viewer', false, false], ['staff', true, false], ['admin', true, true]] as const) {
      auth.me = { user: { ...user, role }, role, token_kind: 'session', token_expires_at: null }
      expect([auth.canWrite, auth.isAdmin]).toEqual([write, admin])
    }
  })
})

describe('EligibilityCard', () => {
  it('shows each condition with its value, threshold and gap', async () => {
    const condition = {
      code: 'rd_intensity', label: '研发费用占比', rule: 'high_tech:2016', status: 'fail' as const, value: '3.10', threshold: '5.00',
      unit: 'percent' as const, gap: '400000.00', gap_unit: 'yuan' as const, inputs: [], missing: ['2024 研发费用'], note: '须 ≥ 5%',
    }
    const wrapper = mount(EligibilityCard, { props: { title: '高新技术企业认定条件', evaluation: {
      rule_version: 'high_tech:2016', year: 2025, outcome: 'fail', summary: '尚有 1 项不符合', conditions: [condition],
      blocking: ['rd_intensity'], undetermined: [], missing: [], declarations: [], window: [2023, 2024, 2025],
    } } })
    await flushPromises()
    await nextTick()
    const text = wrapper.text()
    expect(text).toContain('研发费用占比')
    expect(text).toContain('3.10%')
    expect(text).toContain('5.00%')
    expect(text).toContain('400000.00元')
    expect(text).toContain('缺：2024 研发费用')
    expect(text).toContain('不符合')
  })
})

describe('firm names store', () => {
  it('uses the firm a row carries and looks up only the others, once each', async () => {
    const requested: string[] = []
    const realFetch = globalThis.fetch
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = input instanceof Request ? input.url : String(input)
      requested.push(new URL(url, 'http://localhost').pathname)
      return new Response(JSON.stringify({ id: 8, name: '常德恒达玻璃科技有限公司', version: 1 }), { headers: { 'Content-Type': 'application/json' } })
    }) as typeof fetch
    try {
      const { useFirmNamesStore } = await import('@/stores/firmNames')
      const firms = useFirmNamesStore()
      const rows = [{ enterprise_id: 8 }, { enterprise_id: 8 }, { enterprise_id: 9, enterprise: { id: 9, name: '常德澧水智能装备' } }]
      expect(firms.name(rows[0]!)).toBe('企业 #8')
      await firms.ensure(rows)
      await firms.ensure(rows)
      expect(requested).toEqual(['/api/v1/enterprises/8'])
      expect(firms.name(rows[0]!)).toBe('常德恒达玻璃科技有限公司')
      expect(firms.name(rows[2]!)).toBe('常德澧水智能装备')
    } finally {
      globalThis.fetch = realFetch
    }
  })
})

describe('people store', () => {
  it('names user ids from /people, asking once for each id, and lists assignable colleagues', async () => {
    const asked: string[] = []
    globalThis.fetch = (async (request: Request) => {
      const url = new URL(request.url)
      asked.push(url.pathname + url.search)
      const everyone = [
        { id: 1, display_name: '张伟', role: 'admin', active: true },
        { id: 2, display_name: '王芳', role: 'staff', active: true },
        { id: 3, display_name: '李强', role: 'viewer', active: true },
        { id: 4, display_name: '赵离职', role: 'staff', active: false },
      ]
      const ids = url.searchParams.getAll('id').map(Number)
      const items = ids.length ? everyone.filter((p) => ids.includes(p.id)) : everyone.filter((p) => p.active)
      return new Response(JSON.stringify({ items, total: items.length, limit: 100, offset: 0, next: null }), { headers: { 'Content-Type': 'application/json' } })
    }) as typeof fetch
    const people = usePeopleStore()
    expect(people.name(4)).toBe('#4')
    await people.ensure([4, 2, 4, null])
    await people.ensure([2, 4])
    expect([people.name(4), people.name(2), people.name(null)]).toEqual(['赵离职', '王芳', '—'])
    expect(asked).toEqual(['/api/v1/people?id=4&id=2&include_inactive=true&limit=100'])
    await people.loadColleagues()
    expect(people.colleagues.map((p) => p.display_name)).toEqual(['张伟', '王芳'])
  })
})

describe('sending a visit draft', () => {
  it('posts the visit with its demand once, under the draft key, and clears the draft', async () => {
    const requests: { method: string; path: string; key: string | null; body: unknown }[] = []
    globalThis.fetch = (async (request: Request) => {
      requests.push({ method: request.method, path: new URL(request.url).pathname, key: request.headers.get('Idempotency-Key'), body: await request.json() })
      return new Response(JSON.stringify({ id: 41, demands: [{ id: 9 }] }), { status: 201, headers: { 'Content-Type': 'application/json' } })
    }) as typeof fetch
    const store = useVisitDraftStore()
    Object.assign(store.draft, { enterprise_id: 7, summary: '了解研发投入', with_demand: true })
    store.draft.demand.description = '缺少中试场地'
    const key = store.draft.key
    expect(await store.send()).toEqual({ visitId: 41, demandIds: [9] })
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/api/v1/visits', key, body: { enterprise_id: 7, demands: [{ description: '缺少中试场地' }] } })
    await nextTick()
    expect(localStorage.getItem(DRAFT_KEY) ?? '').not.toContain('了解研发投入')
    expect(store.draft.key).not.toBe(key)
    expect(store.draft.sent).toBeNull()
  })
})
