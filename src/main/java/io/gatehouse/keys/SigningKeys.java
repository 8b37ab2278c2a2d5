package io.gatehouse.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.config.TokensConfig;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Gatehouse's signing keys and their schedule. There is always a current key, which signs, and a
 * next one, published a whole {@code rotate_every} ahead of taking over so verifiers have it
 * before the first token it signs; a key that stopped signing stays published for
 * {@code access_ttl} plus {@value #RETENTION_MARGIN_MINUTES} minutes, until every token it signed
 * has expired, then is deleted. Private keys are stored sealed under the {@link MasterKey}.
 * {@link #maintain()} applies the schedule (at start and periodically); {@link #rotate()} hands
 * over to the next key now. Reads never block: they see an immutable snapshot. Thread-safe.
 */
public final class SigningKeys {

  private final Runnable announceChange;

  static final long RETENTION_MARGIN_MINUTES = 5;

  /** What is known now: the key that signs (with its private part), and the public keys to publish. */
  private record Snapshot(JWK signing, JWKSet published) {
  }

  private final SigningKeyStore store;
  private final MasterKey master;
  private final TokensConfig config;
  private final Clock clock;
  private volatile Snapshot snapshot = new Snapshot(null, new JWKSet());
  private Future<Void> queue = Future.succeededFuture(); // guarded by this

  /** A single instance's keys: nobody else to tell of a change. */
  public SigningKeys(SigningKeyStore store, MasterKey master, TokensConfig config, Clock clock) {
    this(store, master, config, clock, () -> { });
  }

  /**
   * @param announceChange tells the other instances that the keys changed (a rotation, a first key,
   *     a hand-over), so they {@link #maintain} (and read the keys again) at once rather than at their
   *     next check
   */
  public SigningKeys(SigningKeyStore store, MasterKey master, TokensConfig config, Clock clock,
      Runnable announceChange) {
    this.store = store;
    this.master = master;
    this.config = config;
    this.clock = clock;
    this.announceChange = announceChange;
  }

  /** The private key that signs now; null before the first {@link #maintain()}. */
  public JWK signing() {
    return snapshot.signing();
  }

  /** The public keys verifiers need: the current one, the next one and those retired within retention. */
  public JWKSet published() {
    return snapshot.published();
  }

  /** Applies the schedule: creates a current and a next key when missing, hands over when due, deletes expired ones. */
  public Future<Void> maintain() {
    return serially(this::applySchedule);
  }

  /** Hands over to the next key now (it has been published since it was made) and makes a new next one. */
  public Future<Void> rotate() {
    return serially(() -> {
      Instant now = clock.instant();
      JWK signingNow = snapshot.signing();
      return store.list().compose(keys -> {
        StoredKey next = keys.stream().filter(k -> k.retiredAt() == null && k.activeFrom().isAfter(now))
            .min(Comparator.comparing(StoredKey::activeFrom)).orElse(null);
        if (next == null) {
          return Future.succeededFuture();
        }
        List<Future<?>> changes = new ArrayList<>();
        changes.add(store.update(next.kid(), now, null));
        // Retired explicitly rather than by comparing start times, which may be equal to the millisecond.
        keys.stream().filter(k -> signingNow != null && k.kid().equals(signingNow.getKeyID())).findFirst()
            .ifPresent(current -> changes.add(store.update(current.kid(), current.activeFrom(), now)));
        return Future.all(changes).mapEmpty();
      }).compose(v -> applySchedule());
    });
  }

  /** One change of the schedule at a time (the periodic maintenance and a rotation may meet). */
  private synchronized Future<Void> serially(Supplier<Future<Void>> work) {
    Future<Void> next = queue.transform(previous -> work.get());
    queue = next;
    return next;
  }

  private Future<Void> applySchedule() {
    return store.list().compose(this::apply).compose(changed -> store.list().map(keys -> {
      load(keys);
      if (changed) {
        announceChange.run(); // another instance may have made its own first key at the same moment
      }
      return null;
    }));
  }

  /** Makes the changes the schedule asks for; true when there were any. */
  private Future<Boolean> apply(List<StoredKey> keys) {
    Instant now = clock.instant();
    List<Future<?>> changes = new ArrayList<>();
    // Ties broken by kid, so that every instance reading the same keys picks the same current one.
    List<StoredKey> active = keys.stream().filter(k -> k.retiredAt() == null)
        .sorted(Comparator.comparing(StoredKey::activeFrom).thenComparing(StoredKey::kid)).toList();
    StoredKey current = active.stream().filter(k -> !k.activeFrom().isAfter(now)).reduce((a, b) -> b).orElse(null);
    if (current == null) {
      current = create(now, now);
      changes.add(store.insert(current));
    }
    for (StoredKey key : active) {
      if (key != current && !key.activeFrom().isAfter(current.activeFrom())) {
        changes.add(store.update(key.kid(), key.activeFrom(), current.activeFrom()));
      }
    }
    Instant currentFrom = current.activeFrom();
    if (active.stream().noneMatch(k -> k.activeFrom().isAfter(now) && k.activeFrom().isAfter(currentFrom))) {
      changes.add(store.insert(create(now, current.activeFrom().plus(config.rotateEvery()))));
    }
    Duration retention = config.accessTtl().plusMinutes(RETENTION_MARGIN_MINUTES);
    for (StoredKey key : keys) {
      if (key.retiredAt() != null && !key.retiredAt().plus(retention).isAfter(now)) {
        changes.add(store.delete(key.kid()));
      }
    }
    return Future.all(changes).map(done -> !changes.isEmpty());
  }

  private Void load(List<StoredKey> keys) {
    Instant now = clock.instant();
    JWK signing = null;
    Instant signingFrom = null;
    List<JWK> published = new ArrayList<>();
    for (StoredKey key : keys) {
      JWK jwk = unseal(key);
      published.add(jwk.toPublicJWK());
      boolean started = !key.activeFrom().isAfter(now);
      if (key.retiredAt() == null && started && (signingFrom == null || key.activeFrom().isAfter(signingFrom))) {
        signing = jwk;
        signingFrom = key.activeFrom();
      }
    }
    snapshot = new Snapshot(signing, new JWKSet(published));
    return null;
  }

  private JWK unseal(StoredKey key) {
    try {
      return JWK.parse(master.open(key.kid(), key.sealedJwk()));
    } catch (ParseException e) {
      throw new IllegalStateException("signing key " + key.kid() + " is not a JWK");
    }
  }

  private StoredKey create(Instant now, Instant activeFrom) {
    JWK jwk;
    try {
      String kid = UUID.randomUUID().toString();
      jwk = switch (config.algorithm()) {
        case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
            .generate();
        case "EdDSA" -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.EdDSA).generate();
        default -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
            .generate();
      };
    } catch (JOSEException e) {
      throw new IllegalStateException("key generation failed", e);
    }
    return new StoredKey(jwk.getKeyID(), config.algorithm(), master.seal(jwk.getKeyID(), jwk.toJSONString()), now,
        activeFrom, null);
  }
}
