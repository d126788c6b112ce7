// Browser tests: Debian's Chromium driven by playwright-core against a real `seedbed serve` on a fresh
// SQLite database. Reads the screen as a user does (labels, text, roles). Screenshots go to screenshots/.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { recordChecks } from './records.mjs'

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ROOT = resolve(WEB, '..')
const SEEDBED = process.env.SEEDBED_BIN ?? join(ROOT, '.venv', 'bin', 'seedbed')
const SHOTS = join(WEB, 'screenshots')
const DOCS_SHOTS = join(ROOT, 'docs', 'screenshots')
const ADMIN = { username: 'admin', password: 'e2e-admin-pass-2026' }
const VIEWER = { username: 'chakan', password: 'e2e-viewer-pass-2026' }
const COLLEAGUE = { username: 'tongshi', password: 'e2e-staff-pass-2026', name: '赵同事' }
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

const work = mkdtempSync(join(tmpdir(), 'seedbed-e2e-'))
const env = { ...process.env, SEEDBED_DATABASE_URL: `sqlite:///${join(work, 'e2e.db')}`, SEEDBED_LOG_LEVEL: 'WARNING', SEEDBED_WEB_DIST: join(WEB, 'dist') }
mkdirSync(SHOTS, { recursive: true })
mkdirSync(DOCS_SHOTS, { recursive: true })

function run(args, input) {
  const result = spawnSync(SEEDBED, args, { env, input, encoding: 'utf-8' })
  if (result.status !== 0) throw new Error(`seedbed ${args.join(' ')} failed: ${result.stderr}`)
  return result.stdout
}

function freePort() {
  return new Promise((done) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => done(port))
    })
  })
}

const steps = []
async function step(name, body) {
  const started = Date.now()
  try {
    await body()
  } catch (error) {
    // What the screens showed when the step failed, for whoever reads the CI artefacts.
    const pages = browser?.contexts().flatMap((context) => context.pages()) ?? []
    await Promise.all(pages.map((p, i) => p.screenshot({ path: join(SHOTS, `failed-${i}.png`), fullPage: true }).catch(() => undefined)))
    throw error
  }
  steps.push(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  console.log(steps.at(-1))
}

let server
let browser
let base
let adminToken

async function apiCall(method, path, body, token = adminToken, headers = {}) {
  const send = () => fetch(`${base}${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  })
  let response
  try {
    response = await send()
  } catch (error) {
    // A kept-alive connection the server closed while a slow CLI step ran (uvicorn drops idle ones after
    // 5 s): a read is sent again on a new connection, as a browser would; a write is not.
    if (method !== 'GET' || error?.cause?.code !== 'UND_ERR_SOCKET') throw error
    response = await send()
  }
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return text ? JSON.parse(text) : null
}

async function login(page, who) {
  await page.goto(`${base}/login`)
  await page.getByLabel('用户名').fill(who.username)
  await page.getByLabel('密码').fill(who.password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

async function shot(page, name) {
  await page.waitForLoadState('networkidle')
  // Element Plus tags and dialogs zoom in: a picture taken mid-transition shows empty boxes.
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' })
}

try {
  // --- a fresh database with a demo district and two accounts ----------------------------------
  run(['migrate'])
  run(['create-user', ADMIN.username, '--role', 'admin', '--password-stdin', '--display-name', '王主任'], ADMIN.password)
  run(['create-user', VIEWER.username, '--role', 'viewer', '--password-stdin', '--display-name', '李查看'], VIEWER.password)
  run(['create-user', COLLEAGUE.username, '--role', 'staff', '--password-stdin', '--display-name', COLLEAGUE.name], COLLEAGUE.password)
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(SEEDBED, ['serve', '--host', '127.0.0.1', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let serverLog = ''
  server.stderr.on('data', (chunk) => (serverLog += chunk))
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break
    } catch { /* not yet listening */ }
    if (i > 150) throw new Error(`server did not start: ${serverLog}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  const token = await fetch(`${base}/api/v1/auth/token`, { method: 'POST', body: new URLSearchParams(ADMIN) })
  adminToken = (await token.json()).access_token
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })

  await step('first run: the administrator of an empty database lands on "what next"', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
    const first = await context.newPage()
    await login(first, ADMIN)
    await first.getByRole('heading', { name: /接下来做什么/ }).waitFor()
    assert.equal(new URL(first.url()).pathname, '/welcome')
    await shot(first, '00-first-run-welcome')
    await context.close()
  })
  // Then a demo district arrives, as an import would bring the bureau's own firms.
  run(['demo-data', '--enterprises', '40', '--seed', '3'])

  // The firm the tests work on: one with a contact phone; searched by two characters from its name.
  const firms = (await apiCall('GET', '/api/v1/enterprises?limit=200&sort=id')).items
  let firm = null
  for (const candidate of firms) {
    const contacts = await apiCall('GET', `/api/v1/enterprises/${candidate.id}/contacts`)
    const list = Array.isArray(contacts) ? contacts : contacts.items
    if (list.some((c) => c.phone)) { firm = candidate; break }
  }
  assert.ok(firm, 'a demo firm with a contact phone')
  const chars = [...firm.name]
  // Two characters that are not the city prefix shared by every demo firm.
  let needle = chars.slice(2, 4).join('')
  for (let i = 2; i + 2 <= chars.length; i++) {
    const probe = chars.slice(i, i + 2).join('')
    const hits = (await apiCall('GET', `/api/v1/enterprises?q=${encodeURIComponent(probe)}&limit=1`)).total
    if (hits <= 5) { needle = probe; break }
  }

  // A high-tech case at 公示 (publicized), this year, for the UI to recognise.
  const year = Number(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4))
  const busy = new Set((await apiCall('GET', `/api/v1/applications?program=high_tech&year=${year}&limit=200`)).items.map((a) => a.enterprise_id))
  const target = firms.find((f) => !busy.has(f.id) && f.id !== firm.id)
  const application = await apiCall('POST', '/api/v1/applications', { program: 'high_tech', enterprise_id: target.id, year })
  for (const to of ['recommended', 'submitted', 'publicized']) {
    await apiCall('POST', `/api/v1/applications/${application.id}/transitions`, { to, note: 'e2e' })
  }

  // --- desk: log in, measure the main route, find the firm by two characters -------------------
  const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
  const page = await desk.newPage()
  const scripts = new Set()
  page.on('response', (response) => {
    const url = new URL(response.url())
    if (url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js')) scripts.add(url.pathname)
  })
  await step('log in as the administrator', async () => {
    await page.goto(`${base}/login`)
    await shot(page, '01-login')
    await login(page, ADMIN)
    await page.getByRole('heading', { name: '企业库' }).waitFor()
  })
  await step('main route JavaScript ≤ 350 KB gzip', async () => {
    await page.waitForLoadState('networkidle')
    let total = 0
    const lines = []
    for (const path of [...scripts].sort()) {
      const size = gzipSync(readFileSync(join(WEB, 'dist', path))).length
      total += size
      lines.push(`${(size / 1024).toFixed(1).padStart(7)} KB  ${path}`)
    }
    const report = `JavaScript loaded for the main route (/login → /enterprises), gzip -9:\n${lines.join('\n')}\n${(total / 1024).toFixed(1).padStart(7)} KB  total\n`
    writeFileSync(join(SHOTS, 'main-route-js.txt'), report)
    console.log(report)
    assert.ok(total <= 350 * 1024, `main route JS is ${total} bytes gzip`)
  })
  await step(`find a firm by two characters of its name (${needle})`, async () => {
    await shot(page, '02-enterprises')
    await page.getByLabel('搜索企业').fill(needle)
    await page.getByLabel('搜索企业').press('Enter')
    await page.getByRole('cell', { name: firm.name, exact: true }).first().click()
    await page.getByRole('heading', { name: firm.name }).waitFor()
    await page.getByText('资质状态').waitFor()
    await shot(page, '03-enterprise')
    copyFileSync(join(SHOTS, '03-enterprise.png'), join(DOCS_SHOTS, 'firm-page.png'))
    await page.getByRole('tab', { name: '资格评估' }).click()
    await page.getByText('高新技术企业认定条件').waitFor()
    await shot(page, '04-eligibility')
    await page.getByRole('button', { name: '编辑' }).click()
    await page.getByRole('heading', { name: '编辑企业' }).waitFor()
    await shot(page, '05-enterprise-edit')
  })

  // --- phone: log a visit with a demand while the network drops the first answer ----------------
  const demandText = '希望协调研发中试场地，约 500 平方米'
  await step('log a visit with a demand at 390×844, network cut once, one visit stored', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    let mobile = await phone.newPage()
    await login(mobile, ADMIN)
    await mobile.goto(`${base}/visits/new`)
    await mobile.getByRole('textbox', { name: '企业', exact: true }).fill(needle)
    await mobile.getByRole('option', { name: new RegExp(firm.name) }).first().click()
    await mobile.getByText('✓ 已选择').waitFor()
    await mobile.getByRole('radio', { name: '电话' }).check({ force: true })
    await mobile.getByLabel('走访情况').fill('电话了解企业今年研发投入和高企申报准备情况，企业反映缺少中试场地。')
    await mobile.getByText('企业提出了诉求').click()
    await mobile.getByLabel('诉求内容').fill(demandText)
    // The draft survives a closed tab: close it, open the form in a new tab, find the draft again.
    await mobile.close()
    mobile = await phone.newPage()
    await mobile.goto(`${base}/visits/new`)
    await mobile.getByText('已恢复上次未发送的草稿').waitFor()
    assert.equal(await mobile.getByLabel('诉求内容').inputValue(), demandText)
    await shot(mobile, '06-visit-phone')
    copyFileSync(join(SHOTS, '06-visit-phone.png'), join(DOCS_SHOTS, 'visit-phone.png'))
    // The first send reaches the server, but its answer is lost on the way back.
    const keys = []
    let cut = false
    let demandPosts = 0
    await mobile.route('**/api/v1/demands', async (route) => {
      if (route.request().method() === 'POST') demandPosts += 1
      return route.continue()
    })
    await mobile.route('**/api/v1/visits', async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      keys.push(route.request().headers()['idempotency-key'])
      if (!cut) {
        cut = true
        await route.fetch()
        return route.abort('internetdisconnected')
      }
      return route.continue()
    })
    await mobile.getByRole('button', { name: '保存走访' }).click()
    await mobile.getByText('走访和诉求已保存').first().waitFor({ timeout: 20_000 })
    assert.ok(cut, 'the network was cut once')
    assert.ok(keys.length >= 2, 'the visit was sent again')
    assert.ok(keys.every((k) => k && k === keys[0]), `same Idempotency-Key on every attempt: ${keys}`)
    assert.equal(demandPosts, 0, 'the demand travels inside POST /visits, not in a second request')
    const visits = (await apiCall('GET', `/api/v1/visits?enterprise_id=${firm.id}&limit=200`)).items
    assert.equal(visits.filter((v) => v.summary.includes('缺少中试场地')).length, 1, 'exactly one visit stored')
    const demands = (await apiCall('GET', `/api/v1/demands?enterprise_id=${firm.id}&limit=200`)).items
    assert.equal(demands.filter((d) => d.description === demandText).length, 1, 'exactly one demand stored')
    assert.equal(await mobile.evaluate(() => localStorage.getItem('seedbed.visitDraft')?.includes('缺少中试场地') ?? false), false, 'draft cleared')
    await shot(mobile, '07-visit-sent')
    await mobile.goto(`${base}/enterprises`)
    await shot(mobile, '08-enterprises-phone')
    await mobile.goto(`${base}/demands`)
    await mobile.getByText(demandText).locator('visible=true').first().waitFor()
    await shot(mobile, '08-demands-phone')
    await phone.close()
  })

  await step('move a high-tech application to 已认定 and see its validity', async () => {
    await page.goto(`${base}/pipeline/high_tech`)
    await page.getByText('公示').first().waitFor()
    await shot(page, '09-pipeline')
    await page.goto(`${base}/applications/${application.id}`)
    await page.getByRole('radio', { name: '已认定' }).check({ force: true })
    await page.getByLabel('高企证书编号').fill(`GR${year}43000240`)
    await shot(page, '10-application-transition')
    await page.getByRole('button', { name: '确认流转' }).click()
    await page.getByText('已转入「已认定」').waitFor()
    await page.getByTestId('validity').filter({ hasText: `至 ${year + 3}-` }).waitFor()
    const validity = await page.getByTestId('validity').innerText()
    assert.match(validity, new RegExp(`至 ${year + 3}-\\d\\d-\\d\\d`), `validity shown: ${validity}`)
    await shot(page, '11-application-recognized')
  })

  await step('assign the demand to a colleague, then resolve it', async () => {
    await page.goto(`${base}/demands`)
    const row = page.getByRole('row', { name: new RegExp(demandText) })
    await row.locator('.el-select').click()
    await page.getByRole('option', { name: COLLEAGUE.name, exact: true }).click()
    await page.getByText('已指派').first().waitFor()
    const colleague = (await apiCall('GET', `/api/v1/people?q=${encodeURIComponent(COLLEAGUE.name)}`)).items[0]
    const assigned = (await apiCall('GET', `/api/v1/demands?enterprise_id=${firm.id}&limit=200`)).items
    assert.equal(assigned.find((d) => d.description === demandText)?.assignee_id, colleague.id, 'assigned to the colleague')
    await row.getByRole('button', { name: '办结' }).click()
    await page.getByLabel('办理结果').fill('已协调园区中试平台，企业已入驻。')
    await page.getByRole('button', { name: '确定' }).click()
    await page.getByText('已更新').first().waitFor()
    const demands = (await apiCall('GET', `/api/v1/demands?enterprise_id=${firm.id}&limit=200`)).items
    assert.equal(demands.find((d) => d.description === demandText)?.status, 'resolved')
    await page.getByRole('dialog', { name: '办结诉求' }).waitFor({ state: 'hidden' })
    await page.getByRole('radio', { name: '全部' }).check({ force: true })
    await shot(page, '12-demands')
  })

  await step('field errors beside the field; a 412 shows the other change and re-applies mine', async () => {
    await page.goto(`${base}/enterprises/new`)
    await page.getByLabel('统一社会信用代码').fill('91430700MA4RA5W43X')
    await page.getByLabel('企业名称').fill('常德测试科技有限公司')
    await page.getByLabel('街道/乡镇').fill('穿紫河街道')
    await page.getByRole('button', { name: '保存' }).click()
    await page.locator('.el-form-item.is-error').filter({ hasText: '统一社会信用代码' }).waitFor()
    await shot(page, '26-enterprise-field-error')
    await page.goto(`${base}/enterprises/${firm.id}/edit`)
    await page.getByLabel('备注').waitFor()
    await page.waitForLoadState('networkidle')
    const current = await apiCall('GET', `/api/v1/enterprises/${firm.id}`)
    await apiCall('PATCH', `/api/v1/enterprises/${firm.id}`, { address: '常德市武陵区示范路 1 号' }, adminToken, { 'If-Match': `"${current.version}"` })
    await page.getByLabel('备注').fill('重点培育对象')
    await page.getByRole('button', { name: '保存' }).click()
    const dialog = page.getByRole('dialog', { name: '他人已修改了这家企业' })
    await dialog.getByText('常德市武陵区示范路 1 号').waitFor()
    await page.waitForTimeout(500) // the dialog's fade-in, for the screenshot only
    await shot(page, '27-enterprise-conflict')
    await dialog.getByRole('button', { name: '在对方版本上重新应用我的修改' }).click()
    await page.getByRole('heading', { name: firm.name }).waitFor()
    const saved = await apiCall('GET', `/api/v1/enterprises/${firm.id}`)
    assert.equal(saved.address, '常德市武陵区示范路 1 号')
    assert.equal(saved.notes, '重点培育对象')
  })

  await step('download the annual report', async () => {
    await page.goto(`${base}/stats`)
    await page.getByText('培育漏斗').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载年度报告（Word）' }).click()])
    const saved = join(work, download.suggestedFilename())
    await download.saveAs(saved)
    assert.match(download.suggestedFilename(), /\.docx$/)
    assert.equal(readFileSync(saved).subarray(0, 2).toString(), 'PK', 'a DOCX (zip) file')
    assert.ok(statSync(saved).size > 2000)
    await shot(page, '13-stats')
  })

  // The annual summary's record kinds: one of each through its form, the firm page, targets, roles.
  await recordChecks({ browser, page, base, apiCall, shot, step, login, firm, needle, year, colleague: COLLEAGUE, viewer: VIEWER })
  copyFileSync(join(SHOTS, '30-platforms.png'), join(DOCS_SHOTS, 'platforms.png'))

  await step('the other screens render', async () => {
    for (const [path, name, text] of [
      ['/cultivation', '14-cultivation', '培育库'], ['/alerts', '15-alerts', '预警提醒'], ['/policies', '16-policies', '政策'],
      ['/events', '17-events', '宣传活动'], ['/visits', '18-visits', '走访记录'], ['/imports', '19-imports', '数据导入'],
      ['/admin/users', '20-users', '用户与角色'], ['/admin/tokens', '21-tokens', 'API 令牌'], ['/admin/audit', '22-audit', '审计日志'],
      ['/welcome', '23-welcome', '接下来做什么'], ['/account/password', '24-password', '修改密码'],
    ]) {
      await page.goto(`${base}${path}`)
      await page.getByRole('heading', { name: text }).first().waitFor()
      await shot(page, name)
    }
  })

  await step('a viewer sees masked phones and no edit buttons', async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
    const viewer = await viewerContext.newPage()
    await login(viewer, VIEWER)
    await viewer.getByRole('heading', { name: '企业库' }).waitFor()
    assert.equal(await viewer.getByRole('button', { name: '新增企业' }).count(), 0)
    await viewer.goto(`${base}/enterprises/${firm.id}`)
    await viewer.getByRole('heading', { name: firm.name }).waitFor()
    const phones = await viewer.getByTestId('contact-phone').allInnerTexts()
    assert.ok(phones.length > 0 && phones.every((p) => p === '—' || p.includes('****')), `masked: ${phones}`)
    for (const name of ['编辑', '登记走访', '添加联系人', '录入年度数据']) {
      assert.equal(await viewer.getByRole('button', { name }).count(), 0, `no ${name} button`)
    }
    await viewer.goto(`${base}/applications/${application.id}`)
    await viewer.getByText('流转记录').waitFor()
    assert.equal(await viewer.getByRole('button', { name: '确认流转' }).count(), 0)
    await viewer.goto(`${base}/enterprises/${firm.id}`)
    await viewer.getByRole('heading', { name: firm.name }).waitFor()
    await shot(viewer, '25-viewer-enterprise')
    // A viewer cannot read /users, yet sees the assignee's name through /people.
    await viewer.goto(`${base}/demands`)
    await viewer.getByRole('radio', { name: '全部' }).check({ force: true })
    await viewer.getByRole('row', { name: new RegExp(demandText) }).getByText(COLLEAGUE.name).waitFor()
    await viewerContext.close()
  })
  console.log(`\nall ${steps.length} browser checks passed; screenshots in ${SHOTS}`)
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  await browser?.close()
  server?.kill('SIGTERM')
  rmSync(work, { recursive: true, force: true })
}
