import { describe, expect, it } from 'vitest'
import { ApiError, fieldErrors, ok, problemMessage, withEtag } from '@/api/client'
import { changedFields, wan, yuan } from '@/utils/format'

describe('problem+json', () => {
  it('names each field by its path without body/query', () => {
    expect(fieldErrors({ errors: [
      { loc: ['body', 'credit_code'], msg: '校验码不正确', type: 'value_error' },
      { loc: ['body', 'attendance', 0, 'enterprise_id'], msg: '企业不存在', type: 'not_found' },
      { loc: ['body', 'credit_code'], msg: 'second message', type: 'x' },
    ] })).toEqual({ credit_code: '校验码不正确', 'attendance.0.enterprise_id': '企业不存在' })
  })

  it('prefers the detail, then the first field message, then the title', () => {
    expect(problemMessage(409, { title: 'Conflict', detail: '信用代码已存在' })).toBe('信用代码已存在')
    expect(problemMessage(422, { title: 'Invalid', errors: [{ loc: ['body', 'name'], msg: '必填' }] })).toBe('必填')
    expect(problemMessage(500, {})).toBe('请求失败（500）')
  })
})

describe('ok / withEtag', () => {
  it('returns the data and the ETag header, or the version as an ETag', async () => {
    const headers = new Headers({ ETag: '"4"' })
    expect(await withEtag(Promise.resolve({ data: { version: 4 }, response: new Response(null, { headers }) }))).toEqual({ data: { version: 4 }, etag: '"4"' })
    expect((await withEtag(Promise.resolve({ data: { version: 7 }, response: new Response(null) }))).etag).toBe('"7"')
  })

  it('throws an ApiError with the status and field errors', async () => {
    const call = ok(Promise.resolve({ error: { title: 'Precondition failed', detail: '已被他人修改' }, response: new Response(null, { status: 412 }) }))
    await expect(call).rejects.toBeInstanceOf(ApiError)
    await expect(call).rejects.toMatchObject({ status: 412, message: '已被他人修改' })
  })
})

describe('format', () => {
  it('shows yuan with separators and two places, never through floats', () => {
    expect(yuan('1250000.00')).toBe('¥1,250,000.00')
    expect(yuan('12345678901234567.5')).toBe('¥12,345,678,901,234,567.50')
    expect(yuan(null)).toBe('—')
  })

  it('finds the changed fields, arrays included', () => {
    const before = { name: 'A', tags: ['x'], park: null as string | null }
    expect(changedFields(before, { name: 'A', tags: ['x', 'y'], park: null }, ['name', 'tags', 'park'])).toEqual(['tags'])
  })

  it('shows report money in 万元, rounded half up without floats', () => {
    expect(wan('163759956.89')).toBe('16,376.00 万元')
    expect(wan('1312844.16')).toBe('131.28 万元')
    expect(wan('49.99')).toBe('0.00 万元')
    expect(wan('50.00')).toBe('0.01 万元')
    expect(wan('0.00')).toBe('0.00 万元')
  })
})
