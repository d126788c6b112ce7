import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from './stores/auth'
import { useMetaStore } from './stores/meta'
import { KINDS } from './records/kinds'

// Every screen is its own chunk: the first page loads the shell and the firm list only.
const recordList = () => import('./views/records/RecordList.vue')
const recordForm = () => import('./views/records/RecordForm.vue')

/** The annual summary's record kinds: a list, a new and an edit route each (records/kinds.ts). */
const recordRoutes: RouteRecordRaw[] = KINDS.flatMap((kind) => {
  const nav = `/${kind.group?.[0] ?? kind.slug}`
  const write = { nav, write: true, admin: kind.adminOnly ?? false }
  return [
    { path: kind.slug, name: kind.slug, component: recordList, props: { kind: kind.slug }, meta: { nav } },
    { path: `${kind.slug}/new`, name: `${kind.slug}-new`, component: recordForm, props: { kind: kind.slug }, meta: write },
    { path: `${kind.slug}/:id(\\d+)/edit`, name: `${kind.slug}-edit`, component: recordForm, props: (route) => ({ kind: kind.slug, id: String(route.params.id) }), meta: write },
  ]
})

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/account/LoginView.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./components/AppShell.vue'),
    children: [
      { path: '', redirect: { name: 'enterprises' } },
      { path: 'welcome', name: 'welcome', component: () => import('./views/account/WelcomeView.vue') },
      { path: 'account/password', name: 'password', component: () => import('./views/account/PasswordView.vue') },
      { path: 'enterprises', name: 'enterprises', component: () => import('./views/enterprises/EnterpriseList.vue') },
      { path: 'enterprises/new', name: 'enterprise-new', component: () => import('./views/enterprises/EnterpriseForm.vue'), meta: { write: true } },
      { path: 'enterprises/:id(\\d+)', name: 'enterprise', component: () => import('./views/enterprises/EnterpriseDetail.vue'), props: true },
      { path: 'enterprises/:id(\\d+)/edit', name: 'enterprise-edit', component: () => import('./views/enterprises/EnterpriseForm.vue'), props: true, meta: { write: true } },
      { path: 'visits/new', name: 'visit-new', component: () => import('./views/visits/VisitForm.vue'), meta: { write: true } },
      { path: 'visits', name: 'visits', component: () => import('./views/visits/VisitList.vue') },
      { path: 'pipeline/:program?', name: 'pipeline', component: () => import('./views/pipeline/PipelineBoard.vue'), props: true },
      { path: 'applications/:id(\\d+)', name: 'application', component: () => import('./views/pipeline/ApplicationView.vue'), props: true },
      { path: 'cultivation', name: 'cultivation', component: () => import('./views/pipeline/CultivationPool.vue') },
      { path: 'demands', name: 'demands', component: () => import('./views/demands/DemandList.vue') },
      { path: 'alerts', name: 'alerts', component: () => import('./views/demands/AlertList.vue') },
      { path: 'policies', name: 'policies', component: () => import('./views/publicity/PolicyList.vue') },
      { path: 'events', name: 'events', component: () => import('./views/publicity/EventList.vue') },
      ...recordRoutes,
      { path: 'stats', name: 'stats', component: () => import('./views/stats/StatsView.vue') },
      { path: 'imports', name: 'imports', component: () => import('./views/stats/ImportView.vue'), meta: { write: true } },
      { path: 'admin/users', name: 'users', component: () => import('./views/admin/UsersView.vue'), meta: { admin: true } },
      { path: 'admin/tokens', name: 'tokens', component: () => import('./views/admin/TokensView.vue') },
      { path: 'admin/audit', name: 'audit', component: () => import('./views/admin/AuditView.vue'), meta: { admin: true } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: { name: 'enterprises' } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const auth = useAuthStore()
  if (!auth.token) return { name: 'login', query: { next: to.fullPath } }
  if (!auth.me) {
    try {
      await auth.loadMe()
    } catch {
      auth.forget()
      return { name: 'login', query: { next: to.fullPath } }
    }
  }
  await useMetaStore().load().catch(() => undefined)
  if (to.meta.admin && !auth.isAdmin) return { name: 'enterprises' }
  if (to.meta.write && !auth.canWrite) return { name: 'enterprises' }
  return true
})
