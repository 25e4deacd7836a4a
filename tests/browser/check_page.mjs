// SPDX-License-Identifier: Apache-2.0
// tests/browser/check_page.mjs: the report page (cpw report --format html, cpw demo --keep)
// in a real browser: Debian's headless Chromium, driven by playwright-core, with JavaScript
// turned off (the page must need none). Checks that the rendered page has each chart (drawn,
// with its marks) and each table, that the browser's console shows no error or warning, that
// nothing was fetched (the page is self-contained), and keeps a full-page screenshot at A4
// width for a person to look at.
//
//   node check_page.mjs PAGE.html SCREENSHOT.png [LANG]
//
// LANG: the language the page says it is in (<html lang>), "en" unless given.
// The browser is /usr/bin/chromium (or $CPW_CHROMIUM); exit 0 when every check passes.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [page_path, shot, lang = 'en'] = process.argv.slice(2);
if (!page_path || !shot) {
  console.error('usage: node check_page.mjs PAGE.html SCREENSHOT.png');
  process.exit(2);
}
const CHARTS = ['in-care', 'share', 'flows', 'stay'];
const TABLES = [...CHARTS.map((c) => 'table-' + c), 'cases-by-state', 'overdue-by-age',
                'days-to-assessment'];
const A4 = { width: 794, height: 1123 }; // A4 at 96 dots per inch

const problems = [];
const profile = mkdtempSync(join(tmpdir(), 'cpw-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CPW_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  javaScriptEnabled: false,
  viewport: A4,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const url = pathToFileURL(resolve(page_path)).href;
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  context.on('request', (r) => {
    if (r.url() !== url)
      problems.push(`the page fetched ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok())
    problems.push('the page did not load');

  for (const c of CHARTS) {
    const svg = page.locator(`svg#chart-${c}`);
    if (await svg.count() !== 1) {
      problems.push(`chart ${c}: not in the DOM`);
      continue;
    }
    const box = await svg.boundingBox();
    if (!box || box.width < 400 || box.height < 200 || box.width > A4.width)
      problems.push(`chart ${c}: drawn ${box ? `${box.width}x${box.height}` : 'nowhere'}, ` +
                    `not at A4 width`);
    const title = (await svg.locator('title').first().textContent() || '').trim();
    const heading = (await svg.locator(`#${c}-heading`).textContent() || '').trim();
    if (!title || title !== heading)
      problems.push(`chart ${c}: no title`);
    for (const part of ['legend', 'caption']) {
      if (await svg.locator(`g.${part}`).count() !== 1)
        problems.push(`chart ${c}: no ${part}`);
    }
    const marks = svg.locator('rect[data-value], circle[data-value]');
    if (await marks.count() === 0)
      problems.push(`chart ${c}: no marks`);
    else {
      const mbox = await marks.first().boundingBox();
      if (!mbox || (mbox.width === 0 && mbox.height === 0))
        problems.push(`chart ${c}: its first mark is not rendered`);
    }
    const lines = await svg.locator('g.caption text').count();
    const caption = await svg.locator('g.caption').textContent() || '';
    if (lines < 2 || !caption.includes('cpw_registry_indicators'))
      problems.push(`chart ${c}: the caption lacks the definition or the source`);
  }
  for (const t of TABLES) {
    const rows = await page.locator(`table#${t} tbody tr`).count();
    if (rows === 0)
      problems.push(`table ${t}: missing or empty`);
    else if (!await page.locator(`table#${t}`).isVisible())
      problems.push(`table ${t}: not visible`);
    else {
      const box = await page.locator(`table#${t}`).boundingBox();
      if (box.x + box.width > A4.width)
        problems.push(`table ${t}: wider than the page (${box.x + box.width} px)`);
    }
  }
  if (await page.locator('html').getAttribute('lang') !== lang)
    problems.push(`the page is not in ${lang}`);
  const hash = (await page.locator('#policy-hash').textContent() || '').trim();
  if (!/^[0-9a-f]{64}$/.test(hash))
    problems.push('the policy hash is not shown');
  if (await page.locator('script').count() !== 0)
    problems.push('the page has a script');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`${CHARTS.length} charts and ${TABLES.length} tables checked; ` +
              `screenshot: ${resolve(shot)}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (problems.length > 0) {
  for (const p of problems)
    console.error(`FAIL: ${p}`);
  process.exit(1);
}
console.log('browser check passed: no console error, nothing fetched');
