// Drives the MCP Inspector 0.22.x web UI in headless Chromium with Connection Type "Direct", as a new user would
// click it: the page itself then calls the MCP server (and, in step 05, the authorization server) with fetch, so
// every answer it reads needs CORS. Streamable HTTP, the server's URL, Direct; for steps 01 to 04 the Authorization
// header (Authentication, Custom Headers); Connect; in step 05 the login on the authorization server's page; then
// List Tools and run list_products. It prints what the browser fetched from the step's servers (method, URL, status;
// never a header or a token) and takes two screenshots. See docs/clients/inspector.md, "Direct connection".
//
//   npm install
//   TOKEN="$MCP_SECRET" node drive-inspector-direct.mjs '<the URL the Inspector printed>' http://127.0.0.1:8080/mcp
//   MCP_PASSWORD='<password of carol>' node drive-inspector-direct.mjs '<the URL the Inspector printed>' http://127.0.0.1:8080/mcp carol
//
// Options by environment: TOKEN (the step 01 secret or a step 02-04 access token, sent as "Bearer <TOKEN>"),
// CHROMIUM (default /usr/bin/chromium), SHOTS (where the screenshots go, default .), TAG (their file name suffix).
import { chromium } from 'playwright-core';
import fs from 'fs'; import os from 'os'; import path from 'path';
const [inspectorUrl, mcpUrl, user] = process.argv.slice(2);
const shots = process.env.SHOTS ?? '.';
const tag = process.env.TAG ?? 'direct';
const inspectorPorts = new Set([new URL(inspectorUrl).port, new URL(inspectorUrl).searchParams.get('MCP_PROXY_PORT') ?? '6277']);
const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'inspector-profile-')), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 } });
const page = ctx.pages()[0] ?? await ctx.newPage();
page.on('console', m => { if (m.type() === 'error') console.log(`console ${m.type()}: ${m.text().split('\n')[0].slice(0, 250)}`); });
// The JSON-RPC method of a POST, to tell the requests to /mcp apart (the body holds no credential).
const rpc = r => { try { const m = JSON.parse(r.postData()).method; return m ? ` (${m})` : ''; } catch { return ''; } };
page.on('response', r => {
  const u = new URL(r.url());
  if (inspectorPorts.has(u.port)) return;
  const p = u.searchParams;
  const asked = p.has('code_challenge') ? ` (scope "${p.get('scope')}", ${p.get('code_challenge_method')}, resource ${p.get('resource')})` : '';
  console.log(`browser -> ${r.request().method()} ${u.origin}${u.pathname}${asked}${rpc(r.request())} ${r.status()}`);
});
page.on('requestfailed', r => console.log(`browser -> FAILED ${r.method()} ${r.url().split('?')[0]}${rpc(r)} ${r.failure()?.errorText}`));

await page.goto(inspectorUrl);
await page.click('#transport-type-select');
await page.getByRole('option', { name: 'Streamable HTTP' }).click();
await page.fill('#sse-url-input', mcpUrl);
await page.click('#connection-type-select');
await page.getByRole('option', { name: 'Direct' }).click();
if (process.env.TOKEN) {
  await page.getByRole('button', { name: 'Authentication' }).click();
  await page.getByPlaceholder('Header Value').fill('Bearer ' + process.env.TOKEN);
  await page.getByRole('switch').first().click();
  await page.getByRole('button', { name: 'Authentication' }).click(); // folded again, so the screenshot shows the rest
}
await page.screenshot({ path: `${shots}/1-configured-${tag}.png` });
await page.getByRole('button', { name: 'Connect' }).click();
if (user) {
  await page.waitForURL(u => u.pathname === '/login', { timeout: 30000 });
  console.log('page: ' + page.url().split('?')[0]);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', process.env.MCP_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(u => inspectorPorts.has(u.port) && u.pathname === '/', { timeout: 30000 });
  console.log('page: back at the Inspector');
}
try {
  await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30000 });
} catch (e) {
  await page.screenshot({ path: `${shots}/2-failed-${tag}.png` });
  console.log('status: not connected');
  await ctx.close();
  process.exit(1);
}
console.log('status: Connected');
await page.getByRole('tab', { name: 'Tools' }).click();
await page.getByRole('button', { name: 'List Tools' }).click();
await page.getByText('list_products').first().waitFor({ timeout: 15000 });
await page.waitForTimeout(500);
const tools = await page.getByText(/^(list_products|create_product|delete_product|whoami)$/).allInnerTexts();
console.log('tools listed: ' + tools.join(', '));
await page.getByText('list_products').first().click();
await page.getByRole('button', { name: 'Run Tool' }).click();
await page.getByText(/#1 /).first().waitFor({ timeout: 15000 });
console.log('list_products: ' + (await page.getByText(/#1 /).first().innerText()).replace(/\n/g, ' | '));
await page.screenshot({ path: `${shots}/3-connected-${tag}.png` });
await ctx.close();
