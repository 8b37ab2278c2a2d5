package io.gatehouse.store;

import io.gatehouse.oauth.AuthorizationCode;
import io.gatehouse.oauth.AuthorizationCodeStore;
import io.gatehouse.oauth.AuthorizationCodes;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link AuthorizationCodeStore} on Redis, which every instance shares: a hash per code, used at
 * most once by an atomic Lua step ({@code /redis/authorization-codes.lua}) whichever instance
 * the exchange reaches, and kept {@link AuthorizationCodes#REPLAY_WINDOW} past its expiry so
 * that a replay still revokes what the first exchange got. While Redis is down each step fails
 * with 503 ({@link FailClosedRedis}).
 */
final class RedisAuthorizationCodeStore implements AuthorizationCodeStore {

  private static final LuaScript SCRIPT = LuaScript.load("authorization-codes.lua");
  private static final List<String> FIELDS = List.of("client", "user", "redirect", "scopes", "challenge", "created",
      "expires", "used", "access_jti", "access_exp", "family", "nonce", "auth_time", "sid", "amr");

  private final FailClosedRedis redis;
  private final String codeKeys;
  private final Clock clock;

  RedisAuthorizationCodeStore(FailClosedRedis redis, String prefix, Clock clock) {
    this.redis = redis;
    this.codeKeys = prefix + ":code:";
    this.clock = clock;
  }

  @Override
  public Future<Void> insert(AuthorizationCode code) {
    List<String> args = RedisValues.args("insert",
        RedisValues.ttl(clock.instant(), code.expiresAt().plus(AuthorizationCodes.REPLAY_WINDOW)));
    RedisValues.put(args, "client", code.clientId());
    RedisValues.put(args, "user", code.userId());
    RedisValues.put(args, "redirect", code.redirectUri());
    RedisValues.put(args, "scopes", String.join(" ", code.scopes()));
    RedisValues.put(args, "challenge", code.codeChallenge());
    RedisValues.put(args, "created", code.createdAt());
    RedisValues.put(args, "expires", code.expiresAt());
    RedisValues.put(args, "used", code.usedAt());
    RedisValues.put(args, "access_jti", code.accessJti());
    RedisValues.put(args, "access_exp", code.accessExpiresAt());
    RedisValues.put(args, "family", code.refreshFamily());
    RedisValues.put(args, "nonce", code.signIn().nonce());
    RedisValues.put(args, "auth_time", code.signIn().authTime());
    RedisValues.put(args, "sid", code.signIn().sid());
    RedisValues.put(args, "amr", String.join(" ", code.signIn().amr()));
    return redis.eval(SCRIPT, List.of(codeKeys + code.codeHash()), args).mapEmpty();
  }

  @Override
  public Future<Optional<AuthorizationCode>> byHash(String codeHash) {
    return redis.send(RedisValues.hmget(codeKeys + codeHash, FIELDS)).map(v -> v.get(0) == null ? Optional.empty() : Optional.of(code(codeHash, v)));
  }

  private static AuthorizationCode code(String codeHash, Response v) {
    return new AuthorizationCode(codeHash, RedisValues.text(v.get(0)), RedisValues.text(v.get(1)),
        RedisValues.text(v.get(2)), RedisValues.names(v.get(3)), RedisValues.text(v.get(4)),
        RedisValues.instant(v.get(5)), RedisValues.instant(v.get(6)), RedisValues.instant(v.get(7)),
        RedisValues.text(v.get(8)), RedisValues.instant(v.get(9)), RedisValues.text(v.get(10)),
        new AuthorizationCode.SignIn(RedisValues.text(v.get(11)), RedisValues.instant(v.get(12)),
            RedisValues.text(v.get(13)), RedisValues.names(v.get(14))));
  }

  @Override
  public Future<Boolean> markUsed(String codeHash, Instant at, Issued issued) {
    return redis.eval(SCRIPT, List.of(codeKeys + codeHash), List.of("use", RedisValues.millis(at), issued.accessJti(),
        RedisValues.millis(issued.accessExpiresAt()), issued.refreshFamily() == null ? "" : issued.refreshFamily()))
        .map(used -> used.toInteger() == 1);
  }

  @Override
  public Future<Optional<AuthorizationCode>> replayed(String codeHash, Instant at) {
    return redis.eval(SCRIPT, List.of(codeKeys + codeHash), List.of("replay", RedisValues.millis(at)))
        .compose(marked -> byHash(codeHash));
  }

  @Override
  public Future<Boolean> isReplayed(String codeHash) {
    return redis.send(Request.cmd(Command.HEXISTS).arg(codeKeys + codeHash).arg("replayed"))
        .map(found -> found.toInteger() == 1);
  }

  /** Redis expires codes itself; nothing is left to sweep. */
  @Override
  public Future<Integer> deleteExpired(Instant before) {
    return Future.succeededFuture(0);
  }
}
