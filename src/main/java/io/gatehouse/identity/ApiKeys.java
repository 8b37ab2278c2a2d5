package io.gatehouse.identity;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys: {@code gh_<id>_<secret>}, 12 hex characters of id (readable, so a leaked key can be
 * found and revoked) and 64 of secret (256 bits); only the secret's SHA-256 is stored. Last use is
 * recorded coarsely, at most once an hour per key.
 */
public final class ApiKeys {

  static final Duration LAST_USE_GRANULARITY = Duration.ofHours(1);
  /** Live keys a user may make for themselves: plenty for every script and machine, and a bound on storage. */
  public static final int MAX_OWN = 20;
  /** A key's id, as lists show it and revocations name it: 12 hex characters. */
  public static final Pattern ID = Pattern.compile("[0-9a-f]{12}");
  private static final Pattern FORMAT = Pattern.compile("gh_(" + ID.pattern() + ")_([0-9a-f]{64})");

  /** A new key and its one-time plaintext. */
  public record Created(ApiKey key, String plaintext) {
  }

  private final ApiKeyStore keys;
  private final SecretTokens tokens;
  private final Clock clock;

  public ApiKeys(ApiKeyStore keys, SecretTokens tokens, Clock clock) {
    this.keys = keys;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * Creates a key for a user ({@code userId}) or a service ({@code service}); exactly one is set.
   *
   * @param ttl null for a key that does not expire
   */
  public Future<Created> create(String userId, String service, List<String> roles, List<String> scopes, Duration ttl) {
    if ((userId == null) == (service == null)) {
      return Future.failedFuture(new IllegalArgumentException("a key belongs to exactly one user or service"));
    }
    Created created = make(userId, service, roles, scopes, ttl);
    return keys.insert(created.key()).map(created);
  }

  /**
   * A key a user makes for themselves (the account page): no roles, no scopes, {@code ttl} long,
   * and at most {@link #MAX_OWN} live at once.
   *
   * @return empty when the user has {@link #MAX_OWN} live keys already (nothing made)
   */
  public Future<Optional<Created>> createOwn(String userId, Duration ttl) {
    Created created = make(userId, null, List.of(), List.of(), ttl);
    return keys.insertCapped(created.key(), MAX_OWN).map(added -> added ? Optional.of(created) : Optional.empty());
  }

  /** A new key and its plaintext, not stored yet. */
  private Created make(String userId, String service, List<String> roles, List<String> scopes, Duration ttl) {
    String id = tokens.newHex(6);
    String secret = tokens.newHex(32);
    Instant now = clock.instant();
    ApiKey key = new ApiKey(id, SecretTokens.sha256(secret), userId, service, roles, scopes, now,
        ttl == null ? null : now.plus(ttl), null, null);
    return new Created(key, "gh_" + id + "_" + secret);
  }

  /** The live key {@code presented} is, or empty (malformed, unknown, wrong secret, revoked, expired). */
  public Future<Optional<ApiKey>> verify(String presented) {
    Matcher m = presented == null ? null : FORMAT.matcher(presented);
    if (m == null || !m.matches()) {
      return Future.succeededFuture(Optional.empty());
    }
    String secretHash = SecretTokens.sha256(m.group(2));
    return keys.byId(m.group(1)).compose(found -> {
      Instant now = clock.instant();
      if (found.isEmpty() || !SecretTokens.equal(found.get().secretHash(), secretHash) || !found.get().usableAt(now)) {
        return Future.succeededFuture(Optional.<ApiKey>empty());
      }
      ApiKey key = found.get();
      if (key.lastUsedAt() != null && Duration.between(key.lastUsedAt(), now).compareTo(LAST_USE_GRANULARITY) < 0) {
        return Future.succeededFuture(Optional.of(key));
      }
      return keys.touch(key.id(), now).map(done -> Optional.of(key));
    });
  }

  public Future<List<ApiKey>> list() {
    return keys.list();
  }

  /** @return false when there is no such live key */
  public Future<Boolean> revoke(String id) {
    return keys.revoke(id, clock.instant());
  }

  /** The keys of user {@code userId}, revoked and expired ones included, newest first. */
  public Future<List<ApiKey>> forUser(String userId) {
    return keys.forUser(userId);
  }

  /**
   * Revokes key {@code id} on behalf of its owner {@code userId}: what a user may do to their own
   * keys, and to no one else's.
   *
   * @return false when there is no such key, it is not the user's, or it was already revoked
   */
  public Future<Boolean> revokeOwned(String userId, String id) {
    return keys.revokeOwned(id, userId, clock.instant());
  }
}
