package io.gatehouse.account;

import io.gatehouse.http.HtmlTemplate;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.HashMap;
import java.util.Map;

/**
 * The account page ({@code account.peb}, Pebble, escaping every value by default), sent with a
 * strict CSP: its one inline style by a per-response nonce, forms posted to this origin only, and,
 * with passkeys on, the one inline script of "Add a passkey" by the same nonce, which may fetch
 * from this origin only. Never cached: it shows sessions, keys and, once, secrets. The template is
 * compiled once. Thread-safe.
 */
final class AccountPage {

  private final HtmlTemplate template = new HtmlTemplate("account.peb");

  /** The page of {@code model} (what {@link AccountOverview} gathered, and what is shown once). */
  Response render(int status, Map<String, Object> model, boolean passkeys) {
    String nonce = template.nonce();
    Map<String, Object> values = new HashMap<>(model);
    values.put("nonce", nonce);
    String script = passkeys ? "script-src 'nonce-" + nonce + "'; connect-src 'self'; " : "";
    return Response.status(status)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .header(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'nonce-" + nonce + "'; "
            + script + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        .header("Referrer-Policy", "same-origin")
        .html(template.render(values))
        .build();
  }
}
