package io.gatehouse.guard;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * One issuer's signature verification keys, as a JWK set looked up by {@code kid}. Verification
 * reads {@link #current()} without blocking; only a {@code kid} it does not know asks for
 * {@link #refetch()}, which implementations bound (single flight, and a least time between two
 * fetches) so a flood of tokens with made-up key ids costs the issuer at most one request per that time.
 */
public interface IssuerKeys {

  /** The keys as known now; never null, possibly empty. */
  JWKSet current();

  /** Completes with the keys to retry an unknown {@code kid} against: fetched anew if allowed now, else {@link #current()}. */
  Future<JWKSet> refetch();

  /** Keys read from {@code source} on every use: Gatehouse's own, which rotate in place. */
  static IssuerKeys of(Supplier<JWKSet> source) {
    return new IssuerKeys() {
      @Override
      public JWKSet current() {
        return source.get();
      }

      @Override
      public Future<JWKSet> refetch() {
        return Future.succeededFuture(source.get());
      }
    };
  }

  /** Keys that never change: a {@code jwks_file}, or a test's. */
  static IssuerKeys fixed(JWKSet keys) {
    return of(() -> keys);
  }
}
