import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ok, type Schemas } from '@/api/client'

/** Labels every screen shares: enum options from /meta/enums, the programs, the staff accounts. */
export const useMetaStore = defineStore('meta', () => {
  const enums = ref<Record<string, { value: string; label: string }[]>>({})
  const programs = ref<Schemas['ProgramRead'][]>([])
  const users = ref<Schemas['UserRead'][]>([])
  let loading: Promise<void> | null = null

  function load(): Promise<void> {
    loading ??= (async () => {
      const [enumList, programList, userPage] = await Promise.all([
        ok(api.GET('/api/v1/meta/enums')),
        ok(api.GET('/api/v1/programs')),
        ok(api.GET('/api/v1/users', { params: { query: { limit: 200 } } })).catch(() => null),
      ])
      const byName: Record<string, { value: string; label: string }[]> = {}
      for (const [name, info] of Object.entries(enumList)) byName[name] = info.options
      enums.value = byName
      programs.value = programList
      users.value = userPage?.items ?? []
    })().catch((error: unknown) => {
      loading = null
      throw error
    })
    return loading
  }

  function options(name: string): { value: string; label: string }[] {
    return enums.value[name] ?? []
  }

  function label(name: string, value: string | null | undefined): string {
    if (value === null || value === undefined) return '—'
    return options(name).find((option) => option.value === value)?.label ?? value
  }

  function program(code: string): Schemas['ProgramRead'] | undefined {
    return programs.value.find((p) => p.code === code)
  }

  function stageLabel(programCode: string, stage: string): string {
    return program(programCode)?.stages.find((s) => s.code === stage)?.label ?? stage
  }

  function userName(id: number | null | undefined): string {
    if (id === null || id === undefined) return '—'
    return users.value.find((u) => u.id === id)?.display_name ?? `#${id}`
  }

  function reset(): void {
    loading = null
  }

  return { enums, programs, users, load, options, label, program, stageLabel, userName, reset }
})
