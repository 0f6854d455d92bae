/**
 * The consent page in a browser with a real OAuth client (issue 11 acceptance): openid-client (strict, with
 * non-repudiation checks) discovers the provider, sends Chromium to the authorization endpoint, the person
 * clicks Allow, the browser brings the code to the client's loopback listener, and the client exchanges it,
 * reads userinfo, refreshes (rotated) and revokes. Deny — after the sign-in detour that returns to the
 * consent — brings `access_denied` with the state and the issuer to the redirect URI.
 */
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  type PageRecord,
  recordPage,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { type LoopbackCallback, registerClient, startLoopbackCallback } from '../helpers/oauth';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

const EMAIL = 'ada@lakeside.example';
const PASSWORD = 'Correct-horse-battery-staple-42';
const SCOPE = 'openid profile email offline_access mcp:read';

function expectNoErrors(record: PageRecord) {
  expect(record.cspViolations).toEqual([]);
  expect(record.consoleErrors).toEqual([]);
}

describe.skipIf(browserSkipReason !== null)('OAuth consent in a browser with openid-client', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let callback: LoopbackCallback;
  let config: oidc.Configuration;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    app.services.config.APP_URL = app.url;
    browser = await launchBrowser();
    callback = await startLoopbackCallback();
    await browser.context.addCookies([{ ...(await signUpCookie(app, EMAIL)), url: app.url }]);
    // Registered with the port-less loopback URI: any port matches (RFC 8252 §7.3).
    const client = await registerClient(app, {
      name: 'Gradebook',
      redirectUris: ['http://127.0.0.1/callback'],
      scopes: SCOPE.split(' '),
    });
    config = await oidc.discovery(new URL(app.url), client.clientId, client.secret!, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    oidc.enableNonRepudiationChecks(config);
  });
  afterAll(async () => {
    await browser?.close();
    await callback?.close();
    await app?.close();
  });

  async function authorizationUrl(extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback.redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    return { url, verifier, state, nonce };
  }

  /** On the consent page: checks what it says, clicks `decision`, returns what the listener received. */
  async function decide(page: Page, decision: 'Allow' | 'Deny'): Promise<URL> {
    await page.waitForURL((u) => u.pathname === '/oauth/consent');
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Allow Gradebook to use your account?',
    );
    expect(await page.getByText('You will return to').textContent()).toContain('127.0.0.1');
    const scopes = await page.getByRole('list', { name: 'Requested access' }).getByRole('listitem').count();
    expect(scopes).toBe(SCOPE.split(' ').length);
    expect(await page.getByText(`(${EMAIL})`).count()).toBe(1);
    await screenshot(page, `oauth-consent-${decision.toLowerCase()}`);
    const arrived = callback.next();
    await page.getByRole('button', { name: decision }).click();
    const url = await arrived;
    await page.waitForURL((u) => u.origin === new URL(callback.redirectUri).origin);
    return url;
  }

  it('Allow: code → tokens → userinfo → refresh (rotated) → revocation', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    const { url, verifier, state, nonce } = await authorizationUrl();
    await page.goto(url.href);
    const back = await decide(page, 'Allow');
    expect(back.searchParams.get('iss')).toBe(app.url);
    expect(back.searchParams.get('state')).toBe(state);

    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const person = await app.services.users.findByEmail(app.services.systemCtx(), EMAIL);
    expect(tokens.claims()).toMatchObject({ sub: person!.id, email: EMAIL, nonce });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      sub: person!.id,
      scope: SCOPE.split(' ').sort().join(' '),
    });

    const info = await oidc.fetchUserInfo(config, tokens.access_token, person!.id);
    expect(info).toMatchObject({ sub: person!.id, email: EMAIL, name: 'Test User' });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(true);

    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expectNoErrors(record);
    await page.close();
  });

  it('Deny after signing in: access_denied with state and iss at the redirect URI, nothing issued', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    const record = recordPage(page);
    // prompt=consent: the Allow above is remembered and would otherwise skip the page.
    const { url, state } = await authorizationUrl({ prompt: 'consent' });
    await page.goto(url.href);
    await page.waitForURL((u) => u.pathname === '/auth/signin');
    await waitForHydration(page);
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const back = await decide(page, 'Deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('iss')).toBe(app.url);
    expect(back.searchParams.get('code')).toBeNull();
    expectNoErrors(record);
    await page.close();
  });
});
