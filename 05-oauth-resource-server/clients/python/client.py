"""The MCP Python SDK's client against step 05's `serve`: it gets a 401, discovers the authorization server,
registers, logs in (the login form submitted headlessly, as a browser would) and calls a tool; on a 403
insufficient_scope the SDK's OAuthClientProvider itself asks for the scopes the challenge names.

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    MCP_USER=carol MCP_PASSWORD='<password of carol>' .venv/bin/python client.py http://127.0.0.1:8080/mcp delete_product '{"id":1}'

Every request the SDK makes is printed as method, URL and status: never a header, a body, a token or a password.
"""

import asyncio
import json
import os
import re
import sys
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx2
from mcp import ClientSession
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

REDIRECT_URL = "http://127.0.0.1:33420/callback"  # loopback; nothing listens: the headless login reads the redirect


def where(url) -> str:
    parts = urlsplit(str(url))
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


async def logged(response: httpx2.Response) -> None:
    print(f"  {response.request.method} {where(response.request.url)} -> {response.status_code}", flush=True)


class HeadlessLogin:
    """The user's side: what a browser and the user do on the authorization server's login page."""

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password
        self.browser = httpx2.AsyncClient(follow_redirects=False, headers={"accept": "text/html"})  # keeps cookies
        self.callback: dict[str, str] = {}

    async def open(self, authorization_url: str) -> None:
        query = parse_qs(urlsplit(authorization_url).query)
        print(f"  {self.user} logs in: {where(authorization_url)} (scope \"{query.get('scope', [''])[0]}\", "
              f"code_challenge_method {query['code_challenge_method'][0]}, resource {query['resource'][0]})",
              flush=True)
        location = urljoin(authorization_url, (await self.browser.get(authorization_url)).headers["location"])
        if urlsplit(location).path == "/login":
            page = (await self.browser.get(location)).text
            csrf = re.search(r'name="_csrf" type="hidden" value="([^"]+)"', page)
            form = {"username": self.user, "password": self.password, "_csrf": csrf.group(1) if csrf else ""}
            location = urljoin(location, (await self.browser.post(location, data=form)).headers["location"])
            if urlsplit(location).query.startswith("error"):
                raise RuntimeError(f"the authorization server refused the login of {self.user}")
            location = urljoin(location, (await self.browser.get(location)).headers["location"])
        if not location.startswith(REDIRECT_URL):
            raise RuntimeError(f"unexpected redirect to {where(location)}")
        self.callback = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        if "error" in self.callback:
            raise RuntimeError(f"no authorization code: {self.callback['error']} "
                               f"{self.callback.get('error_description', '')}")

    async def redirected(self) -> AuthorizationCodeResult:
        c = self.callback
        return AuthorizationCodeResult(code=c["code"], state=c.get("state"), iss=c.get("iss"))


class MemoryStorage:
    """The SDK's TokenStorage, kept in memory for one run; it prints what it is given, never a token."""

    def __init__(self):
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens
        print(f"  token saved (not shown): scope \"{tokens.scope}\", expires in {tokens.expires_in} s", flush=True)

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info
        print(f"  registered: client_id {client_info.client_id}", flush=True)


def why(failure: BaseException, storage: MemoryStorage, asked: set[str], user: str) -> str:
    """One line: a refused step-up says which scope the user did not get; anything else, its first message."""
    while isinstance(failure, BaseExceptionGroup) and failure.exceptions:
        failure = failure.exceptions[0]
    granted = set((storage.tokens.scope or "").split()) if storage.tokens else set()
    missing = sorted(asked - granted)
    if missing:
        return (f"step-up refused: asked for {' '.join(sorted(asked))}, the authorization server granted {user} only "
                f"{' '.join(sorted(granted))} ({user} may not have {' '.join(missing)})")
    return str(failure).splitlines()[0] if str(failure) else type(failure).__name__


async def main() -> int:
    args = sys.argv[1:]
    url = args[0] if args else "http://127.0.0.1:8080/mcp"
    tool = args[1] if len(args) > 1 else "list_products"
    arguments = json.loads(args[2]) if len(args) > 2 else {}
    user, password = os.environ.get("MCP_USER"), os.environ.get("MCP_PASSWORD")
    if not user or not password:
        print("set MCP_USER and MCP_PASSWORD to a user of the authorization server (serve prints them)",
              file=sys.stderr)
        return 2
    login, storage, asked = HeadlessLogin(user, password), MemoryStorage(), set()

    async def redirect(authorization_url: str) -> None:
        asked.clear()
        asked.update(parse_qs(urlsplit(authorization_url).query).get("scope", [""])[0].split())
        await login.open(authorization_url)

    provider = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(client_name="catalog-client-python", redirect_uris=[REDIRECT_URL],
                                            grant_types=["authorization_code"], response_types=["code"],
                                            token_endpoint_auth_method="none"),
        storage=storage, redirect_handler=redirect, callback_handler=login.redirected)
    print(f"connect {url}", flush=True)
    try:
        async with httpx2.AsyncClient(auth=provider, event_hooks={"response": [logged]}) as http, \
                streamable_http_client(url, http_client=http) as streams, \
                ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            # Every tool is listed; each names the scope it needs in _meta.securitySchemes (and in its description).
            scopes = lambda t: " or ".join(s for scheme in (t.meta or {}).get("securitySchemes", [])
                                           for s in scheme.get("scopes", []))
            print("tools: " + ", ".join(f"{t.name} ({scopes(t)})" for t in tools), flush=True)
            print(f"call {tool} {json.dumps(arguments)}", flush=True)
            result = await session.call_tool(tool, arguments)
            text = "\n".join(getattr(c, "text", f"({c.type})") for c in result.content)
            print(f"{tool}{' (tool error)' if result.is_error else ''}: {text}", flush=True)
            return 1 if result.is_error else 0
    except Exception as failure:  # one line, never a stack trace
        print(f"refused: {why(failure, storage, asked, user)}", file=sys.stderr, flush=True)
        return 1
    finally:
        await login.browser.aclose()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
