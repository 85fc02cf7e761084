// Drives the MCP Inspector 2.12.0 web UI in headless Chromium as a new user would: switch the server on, log in on
// the authorization server's page, open Tools, call a tool; when the Inspector asks for more scopes (a 403
// insufficient_scope), press Authorize and wait for the answer. It prints what the browser fetched outside the
// Inspector (method, URL, status, the scope asked for; never a header, a body or a token), what the UI showed, and
// takes screenshots. See ../README.md.
//
//   npm install
//   MCP_PASSWORD='<password of alice>' node drive-inspector.mjs '<the URL the Inspector printed>' alice delete_product '{"id":1}'
//
// Start a fresh Inspector for each user: it keeps the tokens in its backend for as long as it runs.
// Options by environment: CHROMIUM (default /usr/bin/chromium), SHOTS (where the screenshots go, default .).
import { chromium } from 'playwright-core';
import fs from 'fs';
import os from 'os';
import path from 'path';

const [inspectorUrl, user, tool = 'delete_product', args = '{"id":1}'] = process.argv.slice(2);
const password = process.env.MCP_PASSWORD;
const shots = process.env.SHOTS ?? '.';
if (!inspectorUrl || !user || !password) {
  console.error('usage: MCP_PASSWORD=... node drive-inspector.mjs <inspector URL> <user> [tool] [arguments as JSON]');
  process.exit(2);
}
const inspectorPort = new URL(inspectorUrl).port;
const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'inspector-profile-')), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 } });
const page = ctx.pages()[0] ?? await ctx.newPage();
page.on('response', r => {
  const u = new URL(r.url());
  if (u.port === inspectorPort || r.request().resourceType() === 'stylesheet') return;
  const scope = u.searchParams.get('scope');
  console.log(`browser -> ${r.request().method()} ${u.origin}${u.pathname}${scope ? ` (scope "${scope}")` : ''} ${r.status()}`);
});
const shot = async name => page.screenshot({ path: `${shots}/inspector-${user}-${name}.png`, animations: 'disabled' });
const dialog = () => page.getByRole('dialog');

/** The authorization server's login form, if the browser is on it: the user types name and password. */
async function logInIfAsked() {
  if (new URL(page.url()).pathname !== '/login') return;
  console.log(`page: the authorization server's login form; ${user} signs in`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(u => u.port === inspectorPort, { timeout: 30000 });
}

await page.goto(inspectorUrl);
await page.getByRole('switch').first().check({ force: true }); // the server card's Connect switch
const connected = page.getByText('Connected', { exact: true }).first();
await Promise.race([page.waitForURL(u => u.pathname === '/login', { timeout: 30000 }),
  connected.waitFor({ timeout: 30000 })]);
await logInIfAsked();
await connected.waitFor({ timeout: 30000 });
console.log('status: Connected');

await page.getByText('Tools', { exact: true }).first().click(); // the Tools tab
await page.getByRole('button', { name: tool, exact: true }).waitFor({ timeout: 15000 });
const listed = await page.getByRole('button', { name: /^(list_products|create_product|delete_product|whoami)$/ })
  .allInnerTexts();
console.log('tools listed: ' + listed.join(', '));
await page.getByRole('button', { name: tool, exact: true }).click();
console.log(`${tool}: ${await page.getByText(/Needs the OAuth scope/).first().innerText()}`);
for (const [name, value] of Object.entries(JSON.parse(args))) {
  await page.getByRole('textbox', { name: new RegExp(`^${name}`) }).fill(String(value));
}
await page.getByRole('button', { name: 'Execute Tool' }).click();

// Either the answer, or the Inspector's step-up dialog (it got a 403 insufficient_scope).
const answer = page.getByText(/^(Deleted|Created|You are|No product|Permission denied)/).first();
const refusal = page.getByText(/were not granted/).first(); // the Inspector's toast after a step-up it did not get
await Promise.race([answer.waitFor({ timeout: 30000 }), dialog().waitFor({ timeout: 30000 })]);
if (await dialog().isVisible()) {
  console.log('dialog: ' + (await dialog().innerText()).replace(/\n+/g, ' / '));
  await shot('1-step-up-asked');
  await dialog().getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL(u => u.port !== inspectorPort, { timeout: 30000 }).catch(() => {});
  await logInIfAsked();
  await page.waitForURL(u => u.port === inspectorPort, { timeout: 30000 });
  console.log('page: back at the Inspector');
  // The Inspector comes back with the tool and its arguments filled in; the user runs it again.
  await page.getByRole('button', { name: 'Execute Tool' }).waitFor({ timeout: 30000 });
  await Promise.race([answer.waitFor({ timeout: 5000 }), refusal.waitFor({ timeout: 5000 })]).catch(async () => {
    console.log('the tool form is back, filled in: Execute Tool again');
    await page.getByRole('button', { name: 'Execute Tool' }).click();
  });
}
await Promise.race([answer.waitFor({ timeout: 30000 }), refusal.waitFor({ timeout: 30000 })]).catch(() => {});
if (await answer.isVisible()) {
  console.log(`${tool} answered: ${await answer.innerText()}`);
} else if (await refusal.isVisible()) {
  console.log(`refused: ${await refusal.innerText()}`);
} else {
  console.log('no answer shown: ' + (await page.locator('body').innerText()).replace(/\n+/g, ' / ').slice(0, 600));
  process.exitCode = 1;
}
await shot('2-after-step-up');
await ctx.close();
