package io.gatehouse.http;

import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.DefaultHeaders.ValueValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.Objects;

/**
 * The header names and values Gatehouse writes as constants, each checked once when registered,
 * and the factory of decoded headers whose validators let exactly those objects through unchecked.
 *
 * <p>Netty validates every name (an RFC 9110 §5.6.2 token) and every value (no control character
 * but HTAB) on every add to headers that validate, so the constants Gatehouse adds to a decoded
 * request or response (the security headers, the forwarding headers' names) were checked again on
 * every request. Validation depends only on the text, and an {@link AsciiString} registered here
 * was checked when it was registered, so letting that same object through skips nothing. Anything
 * else, including an equal text in another object (every name and value a client or an upstream
 * sends, every value built from one), is validated as {@link DefaultHttpHeadersFactory#headersFactory()}
 * validates it.
 *
 * <p>Registered constants are recognised by identity, found by their cached hash: a probe costs
 * less than validating the text, and for a decoded name the hash is one the headers compute next
 * anyway. Thread-safe: the table is replaced whole on registration, which is meant for class
 * initialisers, and read without locking.
 */
public final class KnownSafeHeaders {

  private static final NameValidator<CharSequence> VALIDATING_NAMES =
      DefaultHttpHeadersFactory.headersFactory().getNameValidator();
  private static final ValueValidator<CharSequence> VALIDATING_VALUES =
      DefaultHttpHeadersFactory.headersFactory().getValueValidator();

  /** Open addressing by hash, a power of two in size, at most half full; replaced whole. */
  private static volatile AsciiString[] table = new AsciiString[64];
  private static int size;

  private static final HttpHeadersFactory FACTORY = DefaultHttpHeadersFactory.headersFactory()
      .withNameValidator(name -> {
        if (!isRegistered(name)) {
          VALIDATING_NAMES.validateName(name);
        }
      })
      .withValueValidator(value -> {
        if (!isRegistered(value)) {
          VALIDATING_VALUES.validate(value);
        }
      });

  static {
    // Netty's own constants that Gatehouse adds to decoded headers.
    register(HttpHeaderNames.HOST, true);
    register(HttpHeaderNames.CONNECTION, true);
    register(HttpHeaderNames.TRANSFER_ENCODING, true);
    register(HttpHeaderValues.CLOSE, false);
    register(HttpHeaderValues.KEEP_ALIVE, false);
    register(HttpHeaderValues.UPGRADE, false);
    register(HttpHeaderValues.CHUNKED, false);
  }

  private KnownSafeHeaders() {
  }

  /**
   * Decoded headers that validate as Netty's default headers do, except for the registered constants.
   * For the HTTP/1.1 decoders of client requests and upstream responses.
   */
  public static HttpHeadersFactory headersFactory() {
    return FACTORY;
  }

  /** A header name constant, checked now. @throws IllegalArgumentException if it is not a token */
  public static AsciiString name(String name) {
    return register(AsciiString.cached(name), true);
  }

  /** A header value constant, checked now. @throws IllegalArgumentException if it has a control character */
  public static AsciiString value(String value) {
    return register(AsciiString.cached(value), false);
  }

  private static synchronized AsciiString register(AsciiString text, boolean name) {
    Objects.requireNonNull(text, "text");
    if (name) {
      VALIDATING_NAMES.validateName(text);
    } else {
      VALIDATING_VALUES.validate(text);
    }
    if (isRegistered(text)) {
      return text;
    }
    AsciiString[] current = table;
    AsciiString[] next = (size + 1) * 2 > current.length ? new AsciiString[current.length * 2] : current.clone();
    if (next.length != current.length) {
      for (AsciiString entry : current) {
        if (entry != null) {
          insert(next, entry);
        }
      }
    }
    insert(next, text);
    size++;
    table = next;
    return text;
  }

  private static void insert(AsciiString[] into, AsciiString text) {
    int mask = into.length - 1;
    int i = text.hashCode() & mask;
    while (into[i] != null) {
      i = (i + 1) & mask;
    }
    into[i] = text;
  }

  static boolean isRegistered(CharSequence text) {
    if (!(text instanceof AsciiString ascii)) {
      return false;
    }
    AsciiString[] current = table;
    int mask = current.length - 1;
    for (int i = ascii.hashCode() & mask; ; i = (i + 1) & mask) {
      AsciiString entry = current[i];
      if (entry == null) {
        return false;
      }
      if (entry == ascii) {
        return true;
      }
    }
  }
}
