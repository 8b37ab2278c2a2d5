package io.gatehouse.store;

import io.gatehouse.identity.passkey.WebAuthnChallenge;
import io.gatehouse.identity.passkey.WebAuthnChallengeStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link WebAuthnChallengeStore} on Redis, which every instance shares: a challenge is a string
 * {@code <prefix>:webauthn:<ceremony key>} expiring with it, and is taken with {@code GETDEL}
 * (Redis 6.2), atomic whichever instance the answer reaches. While Redis is down each step fails
 * with 503 ({@link FailClosedRedis}): a ceremony cannot start or finish, nothing is assumed.
 */
final class RedisWebAuthnChallengeStore implements WebAuthnChallengeStore {

  private final FailClosedRedis redis;
  private final String keys;
  private final Clock clock;

  RedisWebAuthnChallengeStore(FailClosedRedis redis, String prefix, Clock clock) {
    this.redis = redis;
    this.keys = prefix + ":webauthn:";
    this.clock = clock;
  }

  @Override
  public Future<Void> put(String key, WebAuthnChallenge challenge) {
    // challenge | expiry | user id (last: it is the only field that may be absent)
    String value = challenge.challenge() + "|" + RedisValues.millis(challenge.expiresAt()) + "|"
        + (challenge.userId() == null ? "" : challenge.userId());
    return redis.send(Request.cmd(Command.SET).arg(keys + key).arg(value).arg("PX")
        .arg(RedisValues.ttl(clock.instant(), challenge.expiresAt()))).mapEmpty();
  }

  @Override
  public Future<Optional<WebAuthnChallenge>> take(String key) {
    return redis.send(Request.cmd(Command.GETDEL).arg(keys + key)).map(found -> {
      String value = RedisValues.text(found);
      if (value == null) {
        return Optional.<WebAuthnChallenge>empty();
      }
      String[] parts = value.split("\\|", 3);
      if (parts.length != 3) {
        return Optional.<WebAuthnChallenge>empty(); // not written by put: as good as absent
      }
      return Optional.of(new WebAuthnChallenge(parts[0], parts[2].isEmpty() ? null : parts[2],
          Instant.ofEpochMilli(Long.parseLong(parts[1]))));
    });
  }

  /** Redis expires challenges itself; nothing is left to sweep. */
  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return Future.succeededFuture(0);
  }
}
