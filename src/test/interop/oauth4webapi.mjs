// oauth4webapi against a running Gatehouse: discovery, authorization code with PKCE (the browser's
// part done with the session token), the id token checked as a relying party with the OpenID
// Connect defaults does (RS256, its signature against the JWK set), userinfo, refresh,
// introspection and revocation, and the access token checked by a resource server using jose. Prints one line per step; exits non-zero on the first failure.
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import assert from 'node:assert/strict';

const { ISSUER, CLIENT_ID, CLIENT_SECRET, SESSION, REDIRECT_URI } = process.env;
const http = { [oauth.allowInsecureRequests]: true }; // the test server listens on plain HTTP
const issuer = new URL(ISSUER);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, http));
assert.ok(as.id_token_signing_alg_values_supported.includes('RS256'));
// OpenID Connect Registration §2: a client that registered no algorithm expects RS256 id tokens.
const client = { client_id: CLIENT_ID, id_token_signed_response_alg: 'RS256' };
const auth = oauth.ClientSecretBasic(CLIENT_SECRET);
console.log('discovery ok');

const verifier = oauth.generateRandomCodeVerifier();
const state = oauth.generateRandomState();
const nonce = oauth.generateRandomNonce();
const url = new URL(as.authorization_endpoint);
url.search = new URLSearchParams({
  client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid profile read',
  code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce,
}).toString();
const authorize = await fetch(url, { headers: { Authorization: `Bearer ${SESSION}` }, redirect: 'manual' });
assert.equal(authorize.status, 302);
const callback = oauth.validateAuthResponse(as, client, new URL(authorize.headers.get('location')), state);
const response = await oauth.authorizationCodeGrantRequest(as, client, auth, callback, REDIRECT_URI, verifier, http);
const tokens = await oauth.processAuthorizationCodeResponse(as, client, response,
  { expectedNonce: nonce, requireIdToken: true });
await oauth.validateApplicationLevelSignature(as, response, http);
const claims = oauth.getValidatedIdTokenClaims(tokens);
assert.equal(claims.aud, CLIENT_ID);
assert.ok(claims.preferred_username, 'profile was granted');
assert.equal(claims.email, undefined, 'email was not asked for');
console.log('authorization_code ok');

// A Node resource server with jose, as the README shows it: RFC 9068 access tokens from the JWK set.
const JWKS = createRemoteJWKSet(new URL(`${ISSUER}/oauth2/jwks`));
const { payload } = await jwtVerify(tokens.access_token, JWKS,
  { issuer: ISSUER, audience: ISSUER, typ: 'at+jwt', algorithms: ['ES256'] });
assert.equal(payload.client_id, CLIENT_ID);
await assert.rejects(jwtVerify(tokens.id_token, JWKS,
  { issuer: ISSUER, audience: CLIENT_ID, typ: 'at+jwt', algorithms: ['ES256', 'RS256'] }), /typ/);
console.log('jose resource server ok');

const info = await oauth.processUserInfoResponse(as, client, claims.sub,
  await oauth.userInfoRequest(as, client, tokens.access_token, http));
assert.equal(info.preferred_username, claims.preferred_username);
console.log('userinfo ok');

const refreshed = await oauth.processRefreshTokenResponse(as, client,
  await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, http));
assert.ok(refreshed.access_token);
assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
console.log('refresh ok');

const introspect = async (token) => oauth.processIntrospectionResponse(as, client,
  await oauth.introspectionRequest(as, client, auth, token, http));
assert.equal((await introspect(refreshed.access_token)).active, true);
await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.access_token, http));
assert.equal((await introspect(refreshed.access_token)).active, false);
await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.refresh_token, http));
await assert.rejects(async () => oauth.processRefreshTokenResponse(as, client,
  await oauth.refreshTokenGrantRequest(as, client, auth, refreshed.refresh_token, http)),
(error) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant');
console.log('introspection and revocation ok');
