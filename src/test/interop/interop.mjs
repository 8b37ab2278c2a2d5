// openid-client against a running Gatehouse: discovery, client_credentials, authorization code
// with PKCE (the browser's part done with the session token), id token checks, refresh,
// introspection and revocation. Prints one line per step; exits non-zero on the first failure.
import * as client from 'openid-client';
import assert from 'node:assert/strict';

const { ISSUER, CLIENT_ID, CLIENT_SECRET, SESSION, REDIRECT_URI } = process.env;
const config = await client.discovery(new URL(ISSUER), CLIENT_ID, CLIENT_SECRET, undefined,
  { execute: [client.allowInsecureRequests] });
assert.equal(config.serverMetadata().issuer, ISSUER);
console.log('discovery ok');

const cc = await client.clientCredentialsGrant(config, { scope: 'read' });
assert.equal(cc.token_type.toLowerCase(), 'bearer');
assert.equal(cc.scope, 'read');
console.log('client_credentials ok');

const verifier = client.randomPKCECodeVerifier();
const challenge = await client.calculatePKCECodeChallenge(verifier);
const state = client.randomState();
const nonce = client.randomNonce();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: REDIRECT_URI, scope: 'openid read', code_challenge: challenge, code_challenge_method: 'S256',
  state, nonce,
});
const authorize = await fetch(url, { headers: { Authorization: `Bearer ${SESSION}` }, redirect: 'manual' });
assert.equal(authorize.status, 302);
const tokens = await client.authorizationCodeGrant(config, new URL(authorize.headers.get('location')), {
  pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
});
const claims = tokens.claims();
assert.ok(claims.sub);
assert.equal(claims.aud, CLIENT_ID);
console.log('authorization_code ok');

const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
assert.equal(info.sub, claims.sub);
console.log('userinfo ok');

const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
console.log('refresh ok');

const active = await client.tokenIntrospection(config, refreshed.access_token);
assert.equal(active.active, true);
await client.tokenRevocation(config, refreshed.access_token);
const inactive = await client.tokenIntrospection(config, refreshed.access_token);
assert.equal(inactive.active, false);
console.log('introspection and revocation ok');
