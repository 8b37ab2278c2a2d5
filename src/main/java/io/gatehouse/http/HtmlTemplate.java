package io.gatehouse.http;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * One of Gatehouse's HTML pages: a Pebble template from {@code templates/} on the classpath,
 * compiled once, escaping every value by default, and the per-answer nonce its CSP names for the
 * page's own inline style. Thread-safe.
 */
public final class HtmlTemplate {

  private final PebbleTemplate template;
  private final SecureRandom random = new SecureRandom();

  public HtmlTemplate(String name) {
    ClasspathLoader loader = new ClasspathLoader();
    loader.setPrefix("templates");
    PebbleEngine engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
        .cacheActive(true).build();
    this.template = engine.getTemplate(name);
  }

  /** A fresh value for {@code style-src 'nonce-…'}: 128 random bits. */
  public String nonce() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public String render(Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
