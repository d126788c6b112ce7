import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ok, storeToken, storedToken, type Schemas } from '@/api/client'

export type Role = Schemas['Role']

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(storedToken())
  const me = ref<Schemas['Me'] | null>(null)

  const role = computed<Role | null>(() => me.value?.role ?? null)
  const canWrite = computed(() => role.value === 'admin' || role.value === 'staff')
  const isAdmin = computed(() => role.value === 'admin')
  const userId = computed(() => me.value?.user.id ?? null)
  const displayName = computed(() => me.value?.user.display_name ?? '')

  async function login(username: string, password: string): Promise<void> {
    const issued = await ok(
      api.POST('/api/v1/auth/token', {
        body: { username, password, scope: '' },
        bodySerializer: (body) => new URLSearchParams(body as unknown as Record<string, string>),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    )
    token.value = issued.access_token
    storeToken(issued.access_token)
    await loadMe()
  }

  async function loadMe(): Promise<void> {
    me.value = await ok(api.GET('/api/v1/auth/me'))
  }

  async function logout(): Promise<void> {
    if (token.value) {
      try {
        await api.POST('/api/v1/auth/logout')
      } catch {
        // Offline: the token still ends when it expires; forgetting it here is what matters.
      }
    }
    forget()
  }

  function forget(): void {
    token.value = null
    me.value = null
    storeToken(null)
  }

  return { token, me, role, canWrite, isAdmin, userId, displayName, login, loadMe, logout, forget }
})
