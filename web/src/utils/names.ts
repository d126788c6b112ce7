// List items name their firm as `enterprise: {id, name, credit_code}` where the API provides it; until then
// (or for an older server) the id is shown.
export function firmName(row: { enterprise_id: number; enterprise?: unknown; enterprise_name?: unknown }): string {
  const nested = row.enterprise as { name?: unknown } | undefined
  if (nested && typeof nested.name === 'string') return nested.name
  if (typeof row.enterprise_name === 'string') return row.enterprise_name
  return `企业 #${row.enterprise_id}`
}
