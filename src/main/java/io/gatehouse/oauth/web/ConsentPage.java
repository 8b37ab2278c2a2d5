package io.gatehouse.oauth.web;

import io.gatehouse.http.HtmlTemplate;
import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consent page (Pebble, escaping by default): which client asks for which scopes, and allow or
 * deny, posted to {@code /oauth2/consent} with the session's CSRF token. Its CSP allows
 * only its own inline style (by nonce) and form submission to this origin and to the client's
 * redirect origin (where the answer is redirected); {@code Referrer-Policy: same-origin} lets the
 * browser send the {@code Origin} the guard's CSRF check reads. The template is compiled once.
 */
final class ConsentPage {

  private final HtmlTemplate template = new HtmlTemplate("consent.peb");

  /** The consent request for {@code client} on behalf of {@code user}. */
  Response page(String client, String user, List<String> scopes, String redirectUri, String state, String challenge,
      String nonce, String csrf) {
    String styleNonce = template.nonce();
    Map<String, Object> model = new HashMap<>();
    model.put("styleNonce", styleNonce);
    model.put("client", client);
    model.put("user", user);
    model.put("scopes", scopes);
    model.put("scope", String.join(" ", scopes));
    model.put("redirectUri", redirectUri);
    model.put("state", state);
    model.put("challenge", challenge);
    model.put("nonce", nonce);
    model.put("csrf", csrf);
    URI redirect = URI.create(redirectUri);
    String redirectOrigin = redirect.getScheme() + "://" + redirect.getRawAuthority();
    return Response.status(200)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .header(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'nonce-" + styleNonce + "'; "
            + "form-action 'self' " + redirectOrigin + "; frame-ancestors 'none'; base-uri 'none'")
        .header("Referrer-Policy", "same-origin")
        .html(template.render(model))
        .build();
  }
}
