import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { DRAFT_KEY, useVisitDraftStore } from '@/stores/visitDraft'
import { useAuthStore } from '@/stores/auth'
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
    expect(saved.visit_key).toBe(store.draft.visit_key)

    setActivePinia(createPinia())
    const reopened = useVisitDraftStore()
    expect(reopened.wasRestored).toBe(true)
    expect(reopened.draft.summary).toBe('企业反映缺少中试场地')
    expect(reopened.draft.visit_key).toBe(store.draft.visit_key)
  })

  it('starts empty with fresh keys after discarding', () => {
    const store = useVisitDraftStore()
    const key = store.draft.visit_key
    store.discard()
    expect(localStorage.getItem(DRAFT_KEY)).toBeNull()
    expect(store.draft.visit_key).not.toBe(key)
    expect(store.wasRestored).toBe(false)
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
