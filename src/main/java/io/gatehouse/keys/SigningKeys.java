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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Gatehouse's signing keys and their schedule, one schedule per algorithm it signs with
 * ({@link TokensConfig#signingAlgorithms()}: {@code tokens.algorithm}, which signs access tokens,
 * and RS256, which OpenID Connect requires for id tokens). For each there is always a current key,
 * which signs, and a next one, published a whole {@code rotate_every} ahead of taking over so
 * verifiers have it before the first token it signs; a key that stopped signing stays published
 * for {@code access_ttl} plus {@value #RETENTION_MARGIN_MINUTES} minutes, until every token it
 * signed has expired, then is deleted. Keys of an algorithm no longer configured sign nothing here
 * and are not replaced: each retires when its period would have ended (so instances started with
 * different {@code tokens.algorithm}, during a config roll-out, never undo each other's keys).
 * Private keys are stored sealed under the {@link MasterKey}. {@link #maintain()} applies the
 * schedule (at start and periodically); {@link #rotate()} hands over to the next keys now. Reads
 * never block: they see an immutable snapshot. Thread-safe.
 */
public final class SigningKeys {

  private final Runnable announceChange;

  static final long RETENTION_MARGIN_MINUTES = 5;

  /** What is known now: the key that signs for each algorithm (with its private part), and the public keys to publish. */
  private record Snapshot(Map<String, JWK> signing, JWKSet published) {
  }

  private final SigningKeyStore store;
  private final MasterKey master;
  private final TokensConfig config;
  private final Clock clock;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), new JWKSet());
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

  /** The private key that signs access tokens now ({@code tokens.algorithm}); null before the first {@link #maintain()}. */
  public JWK signing() {
    return snapshot.signing().get(config.algorithm());
  }

  /**
   * The private key that signs with {@code algorithm} now; null before the first {@link #maintain()}
   * or when {@code algorithm} is not among {@link #algorithms()}.
   */
  public JWK signing(JWSAlgorithm algorithm) {
    return snapshot.signing().get(algorithm.getName());
  }

  /** The algorithms there are signing keys for: {@code tokens.algorithm} first, then RS256 when it is another. */
  public List<JWSAlgorithm> algorithms() {
    return config.signingAlgorithms().stream().map(JWSAlgorithm::parse).toList();
  }

  /** The key ids that sign now, one per algorithm. */
  public Set<String> signingKeyIds() {
    return snapshot.signing().values().stream().map(JWK::getKeyID).collect(Collectors.toUnmodifiableSet());
  }

  /** The public keys verifiers need: the current one, the next one and those retired within retention. */
  public JWKSet published() {
    return snapshot.published();
  }

  /** Applies the schedule: creates a current and a next key when missing, hands over when due, deletes expired ones. */
  public Future<Void> maintain() {
    return serially(this::applySchedule);
  }

  /**
   * Hands over to the next key of every algorithm now (each has been published since it was made)
   * and makes new next ones.
   */
  public Future<Void> rotate() {
    return serially(() -> {
      Instant now = clock.instant();
      Map<String, JWK> signingNow = snapshot.signing();
      return store.list().compose(keys -> {
        List<Future<?>> changes = new ArrayList<>();
        for (String algorithm : config.signingAlgorithms()) {
          StoredKey next = keys.stream().filter(k -> k.algorithm().equals(algorithm) && k.retiredAt() == null
                  && k.activeFrom().isAfter(now))
              .min(Comparator.comparing(StoredKey::activeFrom)).orElse(null);
          if (next == null) {
            continue;
          }
          changes.add(store.update(next.kid(), now, null));
          // Retired explicitly rather than by comparing start times, which may be equal to the millisecond.
          JWK current = signingNow.get(algorithm);
          keys.stream().filter(k -> current != null && k.kid().equals(current.getKeyID())).findFirst()
              .ifPresent(k -> changes.add(store.update(k.kid(), k.activeFrom(), now)));
        }
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
    List<String> algorithms = config.signingAlgorithms();
    for (String algorithm : algorithms) {
      schedule(algorithm, keys.stream().filter(k -> k.algorithm().equals(algorithm)).toList(), now, changes);
    }
    for (StoredKey key : keys) {
      // Not configured here (any more, or yet): it retires when its period ends, nothing replaces it.
      Instant end = key.activeFrom().plus(config.rotateEvery());
      if (!algorithms.contains(key.algorithm()) && key.retiredAt() == null && !end.isAfter(now)) {
        changes.add(store.update(key.kid(), key.activeFrom(), end));
      }
    }
    Duration retention = config.accessTtl().plusMinutes(RETENTION_MARGIN_MINUTES);
    for (StoredKey key : keys) {
      if (key.retiredAt() != null && !key.retiredAt().plus(retention).isAfter(now)) {
        changes.add(store.delete(key.kid()));
      }
    }
    return Future.all(changes).map(done -> !changes.isEmpty());
  }

  /** One algorithm's keys: a current one, older ones retired, and a next one published ahead. */
  private void schedule(String algorithm, List<StoredKey> keys, Instant now, List<Future<?>> changes) {
    // Ties broken by kid, so that every instance reading the same keys picks the same current one.
    List<StoredKey> active = keys.stream().filter(k -> k.retiredAt() == null)
        .sorted(Comparator.comparing(StoredKey::activeFrom).thenComparing(StoredKey::kid)).toList();
    StoredKey current = active.stream().filter(k -> !k.activeFrom().isAfter(now)).reduce((a, b) -> b).orElse(null);
    if (current == null) {
      current = create(algorithm, now, now);
      changes.add(store.insert(current));
    }
    for (StoredKey key : active) {
      if (key != current && !key.activeFrom().isAfter(current.activeFrom())) {
        changes.add(store.update(key.kid(), key.activeFrom(), current.activeFrom()));
      }
    }
    Instant currentFrom = current.activeFrom();
    if (active.stream().noneMatch(k -> k.activeFrom().isAfter(now) && k.activeFrom().isAfter(currentFrom))) {
      changes.add(store.insert(create(algorithm, now, current.activeFrom().plus(config.rotateEvery()))));
    }
  }

  private Void load(List<StoredKey> keys) {
    Instant now = clock.instant();
    List<String> algorithms = config.signingAlgorithms();
    Map<String, JWK> signing = new HashMap<>();
    Map<String, Instant> signingFrom = new HashMap<>();
    List<JWK> published = new ArrayList<>();
    for (StoredKey key : keys) {
      JWK jwk = unseal(key);
      published.add(jwk.toPublicJWK());
      boolean started = !key.activeFrom().isAfter(now);
      Instant from = signingFrom.get(key.algorithm());
      if (algorithms.contains(key.algorithm()) && key.retiredAt() == null && started
          && (from == null || key.activeFrom().isAfter(from))) {
        signing.put(key.algorithm(), jwk);
        signingFrom.put(key.algorithm(), key.activeFrom());
      }
    }
    snapshot = new Snapshot(Map.copyOf(signing), new JWKSet(published));
    return null;
  }

  private JWK unseal(StoredKey key) {
    try {
      return JWK.parse(master.open(key.kid(), key.sealedJwk()));
    } catch (ParseException e) {
      throw new IllegalStateException("signing key " + key.kid() + " is not a JWK");
    }
  }

  private StoredKey create(String algorithm, Instant now, Instant activeFrom) {
    JWK jwk;
    try {
      String kid = UUID.randomUUID().toString();
      jwk = switch (algorithm) {
        case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
            .generate();
        case "EdDSA" -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.EdDSA).generate();
        case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
            .generate();
        default -> throw new IllegalArgumentException("no signing keys for " + algorithm);
      };
    } catch (JOSEException e) {
      throw new IllegalStateException("key generation failed", e);
    }
    return new StoredKey(jwk.getKeyID(), algorithm, master.seal(jwk.getKeyID(), jwk.toJSONString()), now, activeFrom,
        null);
  }
}
