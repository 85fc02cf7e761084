// The MCP TypeScript SDK's v2 client (@modelcontextprotocol/client) against step 05's `serve`: it gets a 401, discovers the authorization server,
// registers, logs in (the login form submitted headlessly, as a browser would) and calls a tool; on a 403
// insufficient_scope the SDK itself asks for the scopes the challenge names, once.
//
//   npm install
//   MCP_USER=carol MCP_PASSWORD='<password of carol>' node client.mjs http://127.0.0.1:8080/mcp delete_product '{"id":1}'
//
// Everything the SDK sends goes through `logged`, which prints the method, the URL and the status: never a header,
// a body, a token or a password.
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';

const [url = 'http://127.0.0.1:8080/mcp', tool = 'list_products', args = '{}'] = process.argv.slice(2);
const { MCP_USER: user, MCP_PASSWORD: password } = process.env;
if (!user || !password) {
  console.error('set MCP_USER and MCP_PASSWORD to a user of the authorization server (serve prints them)');
  process.exit(2);
}
const REDIRECT_URL = 'http://127.0.0.1:33419/callback'; // loopback; nothing listens: the headless login reads the redirect

/** fetch, printing one line per request the SDK makes. */
async function logged(input, init) {
  const response = await fetch(input, init);
  const target = new URL(input instanceof Request ? input.url : input);
  console.log(`  ${init?.method ?? 'GET'} ${target.origin}${target.pathname} -> ${response.status}`);
  return response;
}

/** The user's side: what a browser and the user do on the authorization server's login page. */
async function headlessLogin(authorizationUrl) {
  const cookies = new Map();
  const go = async (target, init = {}) => {
    const response = await fetch(target, { ...init, redirect: 'manual', headers: { accept: 'text/html',
      cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...init.headers } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  };
  let location = new URL((await go(authorizationUrl)).headers.get('location'), authorizationUrl);
  if (location.pathname === '/login') {
    const csrf = (await (await go(location)).text()).match(/name="_csrf" type="hidden" value="([^"]+)"/)?.[1];
    const form = new URLSearchParams({ username: user, password, _csrf: csrf ?? '' });
    location = new URL((await go(location, { method: 'POST', body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } })).headers.get('location'), location);
    if (location.search.startsWith('?error')) throw new Error(`the authorization server refused the login of ${user}`);
    location = new URL((await go(location)).headers.get('location'), location);
  }
  if (!location.href.startsWith(REDIRECT_URL)) throw new Error(`unexpected redirect to ${location.origin}${location.pathname}`);
  const error = location.searchParams.get('error');
  if (error) throw new Error(`no authorization code: ${error} ${location.searchParams.get('error_description') ?? ''}`);
  return location.searchParams; // code, and iss when the authorization server sends it (RFC 9207)
}

/** The SDK's OAuthClientProvider, kept in memory for one run. */
class Provider {
  #client; #tokens; #verifier; #asked; #refused = new Map(); #discovery; callback;
  get redirectUrl() { return REDIRECT_URL; }
  get clientMetadata() {
    return { client_name: 'catalog-client-typescript-v2', redirect_uris: [REDIRECT_URL], grant_types: ['authorization_code'],
      response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() { return this.#client; }
  saveClientInformation(client) {
    this.#client = client;
    console.log(`  registered: client_id ${client.client_id}`);
  }
  tokens() { return this.#tokens; }
  /** Why the last login did not get what it asked for, if it did not. */
  refusal() { return this.#refused.get(this.#asked); }
  saveTokens(tokens) {
    this.#tokens = tokens;
    const granted = (tokens.scope ?? '').split(' ');
    const missing = (this.#asked ?? '').split(' ').filter(s => s && !granted.includes(s));
    if (missing.length) {
      this.#refused.set(this.#asked, `step-up refused: asked for ${this.#asked}, the authorization server granted`
        + ` ${user} only ${tokens.scope} (${user} may not have ${missing.join(' ')})`);
    }
    console.log(`  token saved (not shown): scope "${tokens.scope}", expires in ${tokens.expires_in} s`);
  }
  saveCodeVerifier(verifier) { this.#verifier = verifier; }
  saveDiscoveryState(state) { this.#discovery = state; } // lets the SDK check the callback's authorization server
  discoveryState() { return this.#discovery; }
  codeVerifier() { return this.#verifier; }
  async redirectToAuthorization(authorizationUrl) {
    const p = authorizationUrl.searchParams;
    // Scopes the authorization server already refused this user: say why instead of asking again.
    if (this.#refused.has(p.get('scope'))) throw new Error(this.#refused.get(p.get('scope')));
    this.#asked = p.get('scope');
    console.log(`  ${user} logs in: ${authorizationUrl.origin}${authorizationUrl.pathname} (scope "${p.get('scope')}",`
      + ` code_challenge_method ${p.get('code_challenge_method')}, resource ${p.get('resource')})`);
    this.callback = await headlessLogin(authorizationUrl);
  }
}

const provider = new Provider();
const client = new Client({ name: 'catalog-client-typescript-v2', version: '1.0.0' });
let transport;

/** Runs an SDK call; if the SDK sent the user to log in meanwhile, redeems the code and runs the call again. */
async function withLogin(call) {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof UnauthorizedError) || !provider.callback) throw e;
    const callback = provider.callback;
    provider.callback = undefined;
    await transport.finishAuth(callback); // the v2 SDK checks iss against the issuer before redeeming the code
    return await call();
  }
}

try {
  console.log(`connect ${url}`);
  await withLogin(() => client.connect(transport = new StreamableHTTPClientTransport(new URL(url),
    { authProvider: provider, fetch: logged })));
  const tools = await client.listTools();
  // Every tool is listed; each names the scope it needs in _meta.securitySchemes (and in its description).
  const scopes = t => (t._meta?.securitySchemes ?? []).flatMap(s => s.scopes ?? []).join(' or ');
  console.log(`tools: ${tools.tools.map(t => `${t.name} (${scopes(t)})`).join(', ')}`);
  console.log(`call ${tool} ${args}`);
  const result = await withLogin(() => client.callTool({ name: tool, arguments: JSON.parse(args) }));
  console.log(`${tool}${result.isError ? ' (tool error)' : ''}: ${result.content.map(c => c.text ?? `(${c.type})`).join('\n')}`);
  await client.close();
} catch (e) {
  console.error(`refused: ${provider.refusal() ?? e.message}`);
  await client.close();
  process.exit(1);
}
