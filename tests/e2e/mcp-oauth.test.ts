/**
 * An MCP agent that knows only `<APP_URL>/api/mcp` (issue 11 acceptance): the official SDK's client-side
 * OAuth (`auth()` with an `OAuthClientProvider`) finds the authorization server through the 401's
 * protected-resource metadata, registers itself dynamically, sends the person's browser (Chromium) to the
 * consent page where they click Allow, exchanges the code the loopback listener received, and the SDK's
 * Client then lists and calls tools with the token it got.
 */

import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { auth, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  recordPage,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { type LoopbackCallback, startLoopbackCallback } from '../helpers/oauth';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

/** An agent's credential store, in memory; "opening the browser" is Chromium going to the URL. */
class AgentProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  private verifier = '';
  constructor(
    private readonly redirectUri: string,
    private readonly openBrowser: (url: URL) => Promise<void>,
  ) {}
  get redirectUrl() {
    return this.redirectUri;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Lab agent',
      redirect_uris: [this.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    return this.openBrowser(url);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

describe.skipIf(browserSkipReason !== null)('MCP agent signing in by itself (SDK auth + Chromium)', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let callback: LoopbackCallback;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    app.services.config.APP_URL = app.url;
    browser = await launchBrowser();
    callback = await startLoopbackCallback();
    await browser.context.addCookies([
      { ...(await signUpCookie(app, 'grace@lakeside.example')), url: app.url },
    ]);
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await callback?.close();
    await app?.close();
  });

  it('discovers, registers, gets consent, exchanges the code and calls a tool', async () => {
    const record = recordPage(page);
    const serverUrl = `${app.url}/api/mcp`;
    const provider = new AgentProvider(callback.redirectUri, async (url) => {
      await page.goto(url.href);
    });

    // Only the URL: the first call is refused with a pointer to the protected-resource metadata.
    const first = await fetch(serverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(first.status).toBe(401);
    const { resourceMetadataUrl } = extractWWWAuthenticateParams(first);
    expect(resourceMetadataUrl?.href).toBe(`${app.url}/.well-known/oauth-protected-resource/api/mcp`);

    expect(await auth(provider, { serverUrl, resourceMetadataUrl })).toBe('REDIRECT');
    // It registered itself: a dynamic public client now exists with this redirect URI.
    const clientId = provider.client!.client_id;
    const registered = await app.services.oauthClients.get(app.services.systemCtx(), clientId);
    expect(registered).toMatchObject({ dynamic: true, public: true, redirectUris: [callback.redirectUri] });

    await page.waitForURL((u) => u.pathname === '/oauth/consent');
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Allow Lab agent to use your account?',
    );
    expect(await page.getByText('This app registered itself').count()).toBe(1);
    await screenshot(page, 'mcp-oauth-consent');
    const arrived = callback.next();
    await page.getByRole('button', { name: 'Allow' }).click();
    const back = await arrived;
    expect(back.searchParams.get('iss')).toBe(app.url);
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();

    expect(await auth(provider, { serverUrl, authorizationCode: code! })).toBe('AUTHORIZED');
    const claims = decodeJwt(provider.saved!.access_token);
    // RFC 8707: the SDK asked for the MCP server as the resource, so the token is for it alone.
    expect(claims).toMatchObject({ aud: serverUrl, client_id: clientId });
    expect(String(claims.scope).split(' ')).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write']));
    expect(provider.saved!.refresh_token).toBeTruthy();

    const client = new Client({ name: 'lab-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['describe_capabilities', 'list_models']),
    );
    const result = await client.callTool({ name: 'describe_capabilities', arguments: {} });
    expect(result.isError).toBeFalsy();
    const sections = (result.structuredContent as { sections: { section: string }[] }).sections;
    expect(sections.map((s) => s.section)).toContain('chat');
    await client.close();

    // The call is logged against this person and the dynamically registered client.
    await app.services.mcpCalls.flush();
    const log = await app.services.mcpCalls.list(app.services.systemCtx(), {});
    expect(log.items.find((i) => i.tool === 'describe_capabilities')).toMatchObject({
      outcome: 'ok',
      via: 'oauth',
      client: 'Lab agent',
    });
    expect(record.cspViolations).toEqual([]);
    expect(record.consoleErrors).toEqual([]);
  });
});
