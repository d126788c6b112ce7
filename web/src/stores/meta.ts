import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ok, type Schemas } from '@/api/client'

/** Labels every screen shares: enum options from /meta/enums and the programs (people: stores/people). */
export const useMetaStore = defineStore('meta', () => {
  const enums = ref<Record<string, { value: string; label: string }[]>>({})
  const programs = ref<Schemas['ProgramRead'][]>([])
  let loading: Promise<void> | null = null

  function load(): Promise<void> {
    loading ??= (async () => {
      const [enumList, programList] = await Promise.all([
        ok(api.GET('/api/v1/meta/enums')),
        ok(api.GET('/api/v1/programs')),
      ])
      const byName: Record<string, { value: string; label: string }[]> = {}
      for (const [name, info] of Object.entries(enumList)) byName[name] = info.options
      enums.value = byName
      programs.value = programList
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

  function reset(): void {
    loading = null
  }

  return { enums, programs, load, options, label, program, stageLabel, reset }
})
