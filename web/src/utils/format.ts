// Dates are business dates in Asia/Shanghai; money is a decimal string in yuan.

export function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())
}

export function thisYear(): number {
  return Number(today().slice(0, 4))
}

export function yuan(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const [whole = '0', fraction = '00'] = String(value).split('.')
  const negative = whole.startsWith('-')
  const digits = negative ? whole.slice(1) : whole
  return `${negative ? '-' : ''}¥${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0').slice(0, 2)}`
}

/** Yuan as 万元 with two places (the unit of the bureau's reports), rounded half up on exact decimals. */
export function wan(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const negative = value.startsWith('-')
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.')
  const fen = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2))
  const hundredths = (fen + 5000n) / 10000n
  const text = `${hundredths / 100n}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative && hundredths > 0n ? '-' : ''}${text}.${(hundredths % 100n).toString().padStart(2, '0')} 万元`
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '—'
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(new Date(value))
}

export function percent(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—'
  return `${Number(value) > 0 ? '+' : ''}${value}%`
}

/** The fields whose values differ between what the user read and what the server has now. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T, fields: (keyof T)[]): (keyof T)[] {
  return fields.filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null))
}
