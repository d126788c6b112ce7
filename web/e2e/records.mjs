// Browser checks of the annual summary's record kinds (run by e2e/run.mjs): one record of each kind
// created through its form and found in its list, a field error, a 412 re-applied, archive and restore,
// the firm page's contracts / platforms / agreements, targets and 未录入 on the statistics screen, and
// what staff and viewers may not change.
import assert from 'node:assert/strict'

/** Fills a form item found by its label, by the kind of control inside it. */
async function fill(page, label, value) {
  const item = page.locator('.el-form-item').filter({ has: page.locator('label', { hasText: new RegExp(`^${label}$`) }) }).first()
  const choice = typeof value === 'object' ? value : { option: value }
  // The field on the screen first: on a form still loading, a list counted before it was there was taken for a
  // text box, and the name typed into its search box picked nothing.
  await item.locator('.el-select, .el-date-editor, input, textarea').first().waitFor()
  if (await item.locator('.el-select').count()) {
    // A list still open (one that opened again as its options arrived) lies over this field: a click beside
    // the form closes it first.
    const open = page.locator('.el-select__popper:visible')
    if (await open.count()) {
      await page.locator('h2').first().click()
      await open.first().waitFor({ state: 'hidden' })
    }
    await item.locator('.el-select').click()
    if (choice.search) await item.locator('input').first().fill(choice.search)
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: choice.option }).first()
    const popper = option.locator('xpath=ancestor::div[contains(@class, "el-select__popper")]')
    await option.click()
    // A multiple choice stays open: a click beside the form closes it.
    if (choice.multiple || (await item.locator('.el-select__selection .el-tag').count())) await page.locator('h2').first().click()
    // The list fades out: until it is gone it lies over the next field.
    await popper.waitFor({ state: 'hidden' })
    return
  }
  if (await item.locator('.el-date-editor').count()) {
    // Tab, not Enter: Enter would submit the form.
    await item.locator('input').fill(value)
    await item.locator('input').press('Tab')
    return
  }
  await item.locator('input, textarea').first().fill(String(value))
}

async function save(page) {
  await page.getByRole('button', { name: '保存' }).click()
}

export async function recordChecks({ browser, page, base, apiCall, shot, step, login, firm, needle, year, colleague, viewer }) {
  const regNo = `${year}4307010099${String(Date.now()).slice(-4)}`
  const platformName = '常德市智能装备工程技术研究中心（测试）'
  const subject = '高效节能电机控制算法联合研发'
  const commissionerName = '周特派'
  const last = year - 1

  await step('create a technology contract through its form (a field error first) and find it in its list', async () => {
    await page.goto(`${base}/technology-contracts`)
    await page.getByRole('heading', { name: '技术合同', exact: true }).waitFor()
    await page.getByRole('button', { name: '新增技术合同' }).click()
    await page.getByRole('heading', { name: '新增技术合同', exact: true }).waitFor()
    await fill(page, '登记编号', regNo)
    await fill(page, '合同类型', '技术开发')
    await fill(page, '卖方企业', { search: needle, option: firm.name })
    await fill(page, '买方', '湖南某某装备有限公司')
    await fill(page, '成交额（元）', '1,250,000')
    await fill(page, '技术交易额（元）', '一百万')
    await fill(page, '认定登记日期', `${year}-01-15`)
    await save(page)
    await page.locator('.el-form-item.is-error').filter({ hasText: '技术交易额' }).waitFor()
    await shot(page, '28-contract-field-error')
    await fill(page, '技术交易额（元）', '1000000')
    await save(page)
    await page.getByRole('heading', { name: '技术合同', exact: true }).waitFor()
    await page.getByRole('cell', { name: regNo }).waitFor()
    await shot(page, '29-contracts')
    const stored = (await apiCall('GET', `/api/v1/technology-contracts?q=${regNo}`)).items
    assert.equal(stored.length, 1)
    assert.equal(stored[0].technology_amount, '1000000.00')
    assert.equal(stored[0].enterprise_id, firm.id)
  })

  await step('archive the contract, then restore it', async () => {
    await page.getByRole('row', { name: new RegExp(regNo) }).getByRole('button', { name: '归档' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '归档' }).click()
    await page.getByText('已归档').first().waitFor()
    await page.getByRole('cell', { name: regNo }).waitFor({ state: 'detached' })
    assert.equal((await apiCall('GET', `/api/v1/technology-contracts?q=${regNo}`)).total, 0)
    await page.getByText('含已归档').click()
    await page.getByRole('row', { name: new RegExp(regNo) }).getByRole('button', { name: '恢复' }).click()
    await page.getByText('已恢复').first().waitFor()
    assert.equal((await apiCall('GET', `/api/v1/technology-contracts?q=${regNo}`)).total, 1)
  })

  await step('create an innovation platform, then a 412 on its edit re-applies mine', async () => {
    await page.goto(`${base}/innovation-platforms/new`)
    await fill(page, '平台名称', platformName)
    await fill(page, '平台类型', '工程技术研究中心')
    await fill(page, '级别', '市级')
    await fill(page, '依托企业', { search: needle, option: firm.name })
    await fill(page, '认定/备案日期', `${year}-02-01`)
    await save(page)
    await page.getByRole('heading', { name: '创新平台', exact: true }).waitFor()
    await page.getByRole('cell', { name: platformName }).waitFor()
    await shot(page, '30-platforms')
    const platform = (await apiCall('GET', `/api/v1/innovation-platforms?q=${encodeURIComponent(platformName)}`)).items[0]
    await page.getByRole('row', { name: new RegExp(platformName) }).getByRole('button', { name: '编辑' }).click()
    await page.getByRole('heading', { name: '编辑创新平台', exact: true }).waitFor()
    await page.waitForLoadState('networkidle')
    await apiCall('PATCH', `/api/v1/innovation-platforms/${platform.id}`, { document_no: '常科发〔2026〕8号' }, undefined, { 'If-Match': `"${platform.version}"` })
    await fill(page, '备注', '2027 年申报省级')
    await save(page)
    const dialog = page.getByRole('dialog', { name: '他人已修改了这条创新平台' })
    await dialog.getByText('常科发〔2026〕8号').waitFor()
    await page.waitForTimeout(500) // the dialog's fade-in, for the screenshot only
    await shot(page, '31-platform-conflict')
    await dialog.getByRole('button', { name: '在对方版本上重新应用我的修改' }).click()
    await page.getByRole('heading', { name: '创新平台', exact: true }).waitFor()
    const saved = await apiCall('GET', `/api/v1/innovation-platforms/${platform.id}`)
    assert.equal(saved.document_no, '常科发〔2026〕8号')
    assert.equal(saved.notes, '2027 年申报省级')
  })

  await step('create a cooperation agreement from the firm page; the firm page lists all three kinds', async () => {
    await page.goto(`${base}/enterprises/${firm.id}`)
    await page.getByRole('heading', { name: firm.name }).waitFor()
    await page.getByRole('tab', { name: /技术合同·平台·合作/ }).click()
    await page.getByRole('button', { name: '新增合作协议' }).click()
    await page.getByRole('heading', { name: '新增合作协议', exact: true }).waitFor()
    await fill(page, '合作院校/院所', '湖南大学')
    await fill(page, '合作内容', subject)
    await fill(page, '签订日期', `${year}-03-01`)
    await fill(page, '协议金额（元）', '300000')
    await save(page)
    await page.getByRole('heading', { name: firm.name }).waitFor()
    await page.getByRole('tab', { name: /技术合同·平台·合作/ }).click()
    await page.getByTestId('firm-technology-contracts').getByRole('cell', { name: regNo }).waitFor()
    await page.getByTestId('firm-innovation-platforms').getByRole('cell', { name: platformName }).waitFor()
    await page.getByTestId('firm-cooperation-agreements').getByRole('cell', { name: subject }).waitFor()
    await page.getByTestId('firm-platform').filter({ hasText: platformName }).waitFor()
    await shot(page, '32-enterprise-records')
    const agreements = (await apiCall('GET', `/api/v1/cooperation-agreements?enterprise_id=${firm.id}&limit=200`)).items
    assert.equal(agreements.filter((a) => a.subject === subject && a.partner_kind === 'university').length, 1)
    await page.goto(`${base}/cooperation-agreements`)
    await page.getByRole('heading', { name: '产学研合作', exact: true }).waitFor()
    await page.getByLabel('关键词').fill('湖南大学')
    await page.getByLabel('关键词').press('Enter')
    await page.getByRole('cell', { name: subject }).waitFor()
    await shot(page, '33-cooperation')
  })

  const present = new Set((await apiCall('GET', `/api/v1/yearly-targets?year=${last}&limit=200`)).items.map((t) => t.indicator))
  const [targetKey, targetLabel, summaryLabel] = [['firms_visited', '走访企业', '走访企业'], ['commissioner_trainees', '科技特派员培训人次', '特派员培训人次'], ['high_tech_valid', '有效高新技术企业', '有效高企总数']]
    .find(([key]) => !present.has(key))
  await step('enter a district indicator and a yearly target; the statistics show target, completion and 未录入', async () => {
    const indicators = new Set((await apiCall('GET', `/api/v1/district-indicators?year=${year}&limit=200`)).items.map((i) => i.indicator))
    assert.ok(!indicators.has('rd_intensity'), 'no 研发投入强度 entered for the year in progress yet')
    await page.goto(`${base}/district-indicators/new`)
    await fill(page, '年度', String(year))
    await fill(page, '指标', '全社会研发经费投入强度')
    await fill(page, '数值（元或%）', '2.45')
    await fill(page, '来源', `区统计局《${year}年统计快报》`)
    await save(page)
    await page.getByRole('heading', { name: '指标与目标', exact: true }).waitFor()
    await page.getByRole('cell', { name: `区统计局《${year}年统计快报》` }).waitFor()
    await page.getByRole('cell', { name: '2.45%' }).first().waitFor()
    await shot(page, '34-indicators')
    await page.getByRole('tab', { name: '年度考核目标' }).click()
    await page.getByRole('button', { name: '新增考核目标' }).click()
    await fill(page, '年度', String(last))
    await fill(page, '指标', targetLabel)
    await fill(page, '目标值', '30')
    await save(page)
    await page.getByRole('cell', { name: targetLabel }).first().waitFor()
    await shot(page, '35-targets')

    const summary = await apiCall('GET', `/api/v1/stats/summary?year=${year}`)
    const missing = Object.entries(summary).find(([, f]) => f && typeof f === 'object' && 'value' in f && f.value === null)?.[0]
    assert.ok(missing, 'a figure without data this year')
    await page.goto(`${base}/stats`)
    await page.getByText('培育漏斗').waitFor()
    const card = page.getByTestId(`figure-${targetKey}`)
    await card.getByText(summaryLabel).waitFor()
    const expected = (await apiCall('GET', `/api/v1/stats/summary?year=${last}`))[targetKey]
    assert.equal(expected.target.replace(/\.00$/, ''), '30')
    await card.getByTestId('figure-target').filter({ hasText: `完成 ${expected.completion_percent}%` }).waitFor()
    const yearInput = page.getByLabel('年度')
    await yearInput.fill(String(year))
    await yearInput.press('Enter')
    await page.getByTestId(`figure-${missing}`).getByText('未录入').first().waitFor()
    await page.getByTestId('figure-rd_intensity').getByText('2.45%').waitFor()
    await shot(page, '36-stats-targets')
  })

  await step('create a commissioner and a service record, each found in its list', async () => {
    await page.goto(`${base}/commissioners`)
    await page.getByRole('heading', { name: '科技特派员', exact: true }).waitFor()
    await page.getByRole('button', { name: '新增科技特派员' }).click()
    await fill(page, '姓名', commissionerName)
    await fill(page, '级别', '省级')
    await fill(page, '专业领域', '柑橘栽培')
    await fill(page, '选派日期', `${year}-01-05`)
    await fill(page, '服务企业', { search: needle, option: firm.name, multiple: true })
    await save(page)
    await page.getByRole('cell', { name: commissionerName }).waitFor()
    await shot(page, '37-commissioners')
    await page.getByRole('tab', { name: '服务记录' }).click()
    await page.getByRole('button', { name: '新增服务记录' }).click()
    await fill(page, '科技特派员', commissionerName)
    await fill(page, '服务类型', '技术培训')
    await fill(page, '服务日期', `${year}-04-10`)
    await fill(page, '地点', '河洑镇柑橘示范园')
    await fill(page, '培训/指导人次', '45')
    await fill(page, '推广新技术', { search: '柑橘大枝修剪', option: '柑橘大枝修剪' })
    await fill(page, '示范基地', '河洑镇柑橘示范园')
    await fill(page, '示范面积（亩）', '120.5')
    const picked = page.locator('.el-form-item', { hasText: '科技特派员' }).first().locator('.el-select__selected-item', { hasText: commissionerName })
    assert.equal(await picked.count(), 1, 'the commissioner picked is still shown after the fields that follow')
    await save(page)
    await page.getByRole('heading', { name: '科技特派员', exact: true }).waitFor()
    await page.locator('.toolbar .el-select').filter({ hasText: '特派员' }).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: commissionerName }).click()
    await page.getByRole('row', { name: /河洑镇柑橘示范园/ }).getByText(commissionerName).waitFor()
    assert.equal(await page.getByRole('row', { name: /河洑镇/ }).count(), 1, 'only the new commissioner\'s record')
    await shot(page, '38-commissioner-services')
    const commissioner = (await apiCall('GET', `/api/v1/commissioners?q=${encodeURIComponent(commissionerName)}`)).items[0]
    assert.deepEqual(commissioner.served_firm_ids, [firm.id])
    const services = (await apiCall('GET', `/api/v1/commissioner-services?commissioner_id=${commissioner.id}`)).items
    assert.equal(services.length, 1)
    assert.deepEqual([services[0].headcount, services[0].techniques, services[0].demonstration_area_mu], [45, ['柑橘大枝修剪'], '120.50'])
  })

  await step('staff change records but not targets; a viewer sees the records and no edit buttons', async () => {
    const staffContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
    const staff = await staffContext.newPage()
    await login(staff, colleague)
    await staff.goto(`${base}/yearly-targets`)
    await staff.getByRole('cell', { name: targetLabel }).first().waitFor()
    assert.equal(await staff.getByRole('button', { name: '新增考核目标' }).count(), 0)
    assert.equal(await staff.getByRole('button', { name: '编辑' }).count(), 0)
    await staff.goto(`${base}/district-indicators`)
    await staff.getByRole('button', { name: '新增统计指标' }).waitFor()
    await staffContext.close()

    const viewerContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
    const reader = await viewerContext.newPage()
    await login(reader, viewer)
    for (const [path, heading, cell, add] of [
      ['/technology-contracts', '技术合同', regNo, '新增技术合同'], ['/innovation-platforms', '创新平台', platformName, '新增创新平台'],
      ['/cooperation-agreements', '产学研合作', subject, '新增合作协议'], ['/commissioners', '科技特派员', commissionerName, '新增科技特派员'],
    ]) {
      await reader.goto(`${base}${path}`)
      await reader.getByRole('heading', { name: heading, exact: true }).waitFor()
      await reader.getByRole('cell', { name: cell }).first().waitFor()
      for (const name of [add, '编辑', '归档']) assert.equal(await reader.getByRole('button', { name }).count(), 0, `${path}: no ${name} button`)
    }
    await shot(reader, '39-viewer-platforms')
    await reader.goto(`${base}/enterprises/${firm.id}`)
    await reader.getByRole('tab', { name: /技术合同·平台·合作/ }).click()
    await reader.getByTestId('firm-technology-contracts').getByRole('cell', { name: regNo }).waitFor()
    for (const name of ['新增技术合同', '新增创新平台', '新增合作协议', '编辑', '归档']) assert.equal(await reader.getByRole('button', { name }).count(), 0, `firm page: no ${name} button`)
    await reader.goto(`${base}/technology-contracts/new`)
    await reader.waitForURL((url) => url.pathname === '/enterprises')
    await viewerContext.close()
  })
}
