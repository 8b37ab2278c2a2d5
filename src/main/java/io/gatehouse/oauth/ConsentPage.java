package io.gatehouse.oauth;

import io.gatehouse.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
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

  private final PebbleTemplate template;
  private final SecureRandom random = new SecureRandom();

  ConsentPage() {
    ClasspathLoader loader = new ClasspathLoader();
    loader.setPrefix("templates");
    PebbleEngine engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
        .cacheActive(true).build();
    this.template = engine.getTemplate("consent.peb");
  }

  /** The consent request for {@code client} on behalf of {@code user}. */
  Response page(String client, String user, List<String> scopes, String redirectUri, String state, String challenge,
      String nonce, String csrf) {
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String styleNonce = Base64.getEncoder().encodeToString(nonceBytes);
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
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    URI redirect = URI.create(redirectUri);
    String redirectOrigin = redirect.getScheme() + "://" + redirect.getRawAuthority();
    return Response.status(200)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .header(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'nonce-" + styleNonce + "'; "
            + "form-action 'self' " + redirectOrigin + "; frame-ancestors 'none'; base-uri 'none'")
        .header("Referrer-Policy", "same-origin")
        .html(out.toString())
        .build();
  }
}
