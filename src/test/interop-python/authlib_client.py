"""Authlib (Debian's python3-authlib) against a running Gatehouse, as Authlib's own OpenID Connect
client integrations use it: discovery, authorization code with PKCE (the browser's part done with the
session token), the id token decoded and validated with the algorithms discovery lists (Authlib's
default: RS256) and CodeIDToken's checks (iss, aud, exp, nonce, at_hash), the access token checked as the README's PyJWT
resource server does, userinfo, refresh,
introspection and revocation. Prints one line per step; exits non-zero on the first failure."""
import os

import jwt
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oidc.core import CodeIDToken

ISSUER, CLIENT_ID, CLIENT_SECRET, SESSION, REDIRECT_URI = (
    os.environ[name] for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "SESSION", "REDIRECT_URI"))


def main():
    meta = requests.get(ISSUER + "/.well-known/openid-configuration", timeout=10).json()
    assert meta["issuer"] == ISSUER, meta
    assert "RS256" in meta["id_token_signing_alg_values_supported"], meta
    print("discovery ok", flush=True)

    client = OAuth2Session(CLIENT_ID, CLIENT_SECRET, scope="openid profile read", redirect_uri=REDIRECT_URI,
                           code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")
    verifier = generate_token(48)
    nonce = generate_token(20)
    url, state = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier,
                                                 nonce=nonce)
    authorize = requests.get(url, headers={"Authorization": "Bearer " + SESSION}, allow_redirects=False,
                             timeout=10)
    assert authorize.status_code == 302, authorize.text
    token = client.fetch_token(meta["token_endpoint"], authorization_response=authorize.headers["Location"],
                               code_verifier=verifier, state=state)
    # What Authlib's OpenIDMixin.parse_id_token does: the algorithms of discovery (RS256 without them).
    keys = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    claims = JsonWebToken(meta.get("id_token_signing_alg_values_supported") or ["RS256"]).decode(
        token["id_token"], key=keys, claims_cls=CodeIDToken,
        claims_options={"iss": {"values": [ISSUER]}},
        claims_params={"nonce": nonce, "client_id": CLIENT_ID, "access_token": token["access_token"]})
    claims.validate(leeway=60)
    assert claims.header["alg"] == "RS256", claims.header
    assert claims["preferred_username"], dict(claims)
    assert "email" not in claims, dict(claims)
    print("authorization_code ok", flush=True)

    # A Python resource server with PyJWT, as the README shows it: RFC 9068 access tokens from the JWK set.
    access = token["access_token"]
    jwks = jwt.PyJWKClient(ISSUER + "/oauth2/jwks")
    verified = jwt.decode(access, jwks.get_signing_key_from_jwt(access).key, algorithms=["ES256"],
                          issuer=ISSUER, audience=ISSUER, options={"require": ["exp", "iat", "sub"]})
    if jwt.get_unverified_header(access).get("typ") != "at+jwt":  # PyJWT leaves typ to the caller
        raise jwt.InvalidTokenError("not an access token")
    assert verified["client_id"] == CLIENT_ID, verified
    assert jwt.get_unverified_header(token["id_token"]).get("typ") != "at+jwt"
    print("pyjwt resource server ok", flush=True)

    info = client.get(meta["userinfo_endpoint"], timeout=10)
    assert info.status_code == 200, info.text
    assert info.json() == {"sub": claims["sub"], "preferred_username": claims["preferred_username"]}, info.text
    print("userinfo ok", flush=True)

    refreshed = client.refresh_token(meta["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["refresh_token"] != token["refresh_token"]
    print("refresh ok", flush=True)

    active = client.introspect_token(meta["introspection_endpoint"], token=refreshed["access_token"])
    assert active.json()["active"] is True, active.text
    revoked = client.revoke_token(meta["revocation_endpoint"], token=refreshed["access_token"],
                                  token_type_hint="access_token")
    assert revoked.status_code == 200, revoked.text
    inactive = client.introspect_token(meta["introspection_endpoint"], token=refreshed["access_token"])
    assert inactive.json()["active"] is False, inactive.text
    print("introspection and revocation ok", flush=True)


if __name__ == "__main__":
    main()
