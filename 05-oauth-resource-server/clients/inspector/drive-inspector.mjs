// Drives the MCP Inspector's web UI in headless Chromium as a new user would: Streamable HTTP, the server's URL,
// Connect; the Inspector sends the browser to the authorization server, the user logs in there; back in the
// Inspector: List Tools, run whoami, take a screenshot. It prints what the browser and the Inspector's proxy fetched
// (method, URL, status; never a header or a token). See ../../README.md, "Real clients".
//
//   npm install
//   MCP_PASSWORD='<password of carol>' node drive-inspector.mjs '<the URL the Inspector printed>' http://127.0.0.1:8080/mcp carol
//
// Options by environment: CHROMIUM (default /usr/bin/chromium), SHOTS (where the screenshots go, default .),
// MODE=direct to choose the Inspector's Direct connection (not supported by step 05: /mcp has no CORS).
import { chromium } from 'playwright-core';
import fs from 'fs';
import os from 'os';
import path from 'path';
const [inspectorUrl, mcpUrl, user] = process.argv.slice(2);
const password = process.env.MCP_PASSWORD;
const mode = process.env.MODE ?? 'proxy';
const shots = process.env.SHOTS ?? '.';
const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'inspector-profile-')), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 } });
const page = ctx.pages()[0] ?? await ctx.newPage();
page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log(`console ${m.type()}: ${m.text().slice(0, 250)}`); });
page.on('response', r => {
  const u = new URL(r.url());
  if (u.port === '6274' || u.port === '6277') return;
  const p = u.searchParams;
  const asked = p.has('code_challenge') ? ` (scope "${p.get('scope')}", ${p.get('code_challenge_method')}, resource ${p.get('resource')})` : '';
  console.log(`browser -> ${r.request().method()} ${u.origin}${u.pathname}${asked} ${r.status()}`);
});
page.on('requestfinished', async r => {
  if (r.url().endsWith(':6277/fetch')) {
    const { url, init } = JSON.parse(r.postData());
    let status = '?';
    try { status = JSON.parse(await (await r.response()).text()).status; } catch { /* page navigated away */ }
    console.log(`proxy /fetch -> ${init?.method ?? 'GET'} ${url.split('?')[0]} ${status}`);
  }
});
page.on('requestfailed', r => console.log(`browser -> FAILED ${r.method()} ${r.url().split('?')[0]} ${r.failure()?.errorText}`));

await page.goto(inspectorUrl);
await page.click('#transport-type-select');
await page.getByRole('option', { name: 'Streamable HTTP' }).click();
await page.fill('#sse-url-input', mcpUrl);
if (mode === 'direct') {
  await page.click('#connection-type-select');
  await page.getByRole('option', { name: 'Direct' }).click();
}
await page.screenshot({ path: `${shots}/1-configured-${mode}.png` });
await page.getByRole('button', { name: 'Connect' }).click();
// The Inspector answers the 401 by itself and sends the browser to the authorization server.
await page.waitForURL(u => u.pathname === '/login', { timeout: 30000 });
console.log('page: ' + page.url().split('?')[0]);
await page.screenshot({ path: `${shots}/2-login-${mode}.png` });
await page.fill('input[name=username]', user);
await page.fill('input[name=password]', password);
await page.click('button[type=submit]');
await page.waitForURL(u => u.port === '6274' && u.pathname === '/', { timeout: 30000 });
console.log('page: back at the Inspector');
await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30000 });
console.log('status: Connected');
await page.getByRole('tab', { name: 'Tools' }).click();
await page.getByRole('button', { name: 'List Tools' }).click();
await page.getByText('list_products').first().waitFor({ timeout: 15000 });
await page.waitForTimeout(500);
const tools = (await page.getByText(/^(list_products|create_product|delete_product|whoami)$/).allInnerTexts());
console.log('tools listed: ' + tools.join(', '));
await page.getByText('whoami').first().click();
await page.getByRole('button', { name: 'Run Tool' }).click();
await page.getByText(/You are /).first().waitFor({ timeout: 15000 });
console.log('whoami: ' + (await page.getByText(/You are /).first().innerText()));
await page.screenshot({ path: `${shots}/3-connected-${mode}.png`, fullPage: false });
await ctx.close();
