package io.gatehouse.soak;

/** The promises the soak holds Gatehouse to; each break is counted under one of these. */
public enum BrokenPromise {
  REVOKED_TOKEN_ADMITTED("a revoked access or refresh token admitted more than 1 s after its revocation"),
  LOGGED_OUT_SESSION_ADMITTED("a logged-out session (or a token issued with it) admitted more than 1 s after"),
  DISABLED_USER_ADMITTED("a disabled user's session, token or API key admitted more than 1 s after"),
  OLD_PASSWORD_CREDENTIAL_ADMITTED("a credential from before a password change admitted more than 1 s after"),
  ADMITTED_WITHOUT_CREDENTIAL("a 2xx on a protected route without a valid credential"),
  WRONG_IDENTITY("an upstream told another subject than the credential's"),
  CREDENTIAL_REACHED_UPSTREAM("an upstream saw a Gatehouse credential (session, token, API key)"),
  CLIENT_IDENTITY_REACHED_UPSTREAM("an upstream saw an identity header the client sent"),
  LIMIT_OVERRUN("a rate limit of N let more than N through in its window"),
  UNDOCUMENTED_5XX("a 5xx other than a documented 503 (or 502/504 of a failing upstream) during an outage"),
  BODY_CORRUPTED("a body (upload, download, echo, WebSocket message) arrived changed");

  private final String meaning;

  BrokenPromise(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
