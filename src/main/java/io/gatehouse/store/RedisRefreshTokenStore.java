package io.gatehouse.store;

import io.gatehouse.oauth.RefreshToken;
import io.gatehouse.oauth.RefreshTokenStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RefreshTokenStore} on Redis, which every instance shares: a hash per token that Redis
 * expires with its family, and a set per family, so that a replayed token revokes the whole
 * family in one atomic step wherever it is presented. Every step is one Lua script
 * ({@code /redis/refresh-tokens.lua}) or one command; while Redis is down each fails with 503
 * ({@link FailClosedRedis}).
 */
final class RedisRefreshTokenStore implements RefreshTokenStore {

  private static final LuaScript SCRIPT = LuaScript.load("refresh-tokens.lua");
  /** The stored fields, in the order {@link #token} reads them. */
  private static final List<String> FIELDS =
      List.of("family", "client", "user", "scopes", "jti", "access_exp", "created", "expires", "used", "revoked", "sid",
          "audience", "amr", "auth_time");

  private final FailClosedRedis redis;
  private final String tokenKeys;
  private final String familyKeys;
  private final String userFamilyKeys;
  private final String sessionFamilyKeys;
  private final Clock clock;

  RedisRefreshTokenStore(FailClosedRedis redis, String prefix, Clock clock) {
    this.redis = redis;
    this.tokenKeys = prefix + ":refresh:";
    this.familyKeys = prefix + ":refresh-family:";
    this.userFamilyKeys = prefix + ":refresh-user:";
    this.sessionFamilyKeys = prefix + ":refresh-session:";
    this.clock = clock;
  }

  @Override
  public Future<Boolean> insert(RefreshToken token) {
    List<String> args = RedisValues.args("insert", token.tokenHash(),
        RedisValues.ttl(clock.instant(), token.expiresAt()), token.familyId());
    RedisValues.put(args, "family", token.familyId());
    RedisValues.put(args, "client", token.clientId());
    RedisValues.put(args, "user", token.userId());
    RedisValues.put(args, "scopes", String.join(" ", token.scopes()));
    RedisValues.put(args, "jti", token.accessJti());
    RedisValues.put(args, "access_exp", token.accessExpiresAt());
    RedisValues.put(args, "created", token.createdAt());
    RedisValues.put(args, "expires", token.expiresAt());
    RedisValues.put(args, "used", token.usedAt());
    RedisValues.put(args, "revoked", token.revokedAt());
    RedisValues.put(args, "sid", token.sid());
    RedisValues.put(args, "audience", String.join(" ", token.audiences()));
    RedisValues.put(args, "amr", token.amr().isEmpty() ? null : String.join(" ", token.amr()));
    RedisValues.put(args, "auth_time", token.authTime());
    List<String> keys = new ArrayList<>(List.of(tokenKeys + token.tokenHash(), familyKeys + token.familyId(),
        userFamilyKeys + token.userId()));
    if (token.sid() != null) {
      keys.add(sessionFamilyKeys + token.sid());
    }
    return redis.eval(SCRIPT, keys, args).map(stored -> stored.toInteger() == 1);
  }

  @Override
  public Future<Optional<RefreshToken>> byHash(String tokenHash) {
    return redis.send(RedisValues.hmget(tokenKeys + tokenHash, FIELDS))
        .map(fields -> fields.get(0) == null ? Optional.empty() : Optional.of(token(tokenHash, fields, 0)));
  }

  @Override
  public Future<Boolean> markUsed(String tokenHash, Instant at) {
    return redis.eval(SCRIPT, List.of(tokenKeys + tokenHash), List.of("use", RedisValues.millis(at)))
        .map(used -> used.toInteger() == 1);
  }

  @Override
  public Future<Boolean> isFamilyRevoked(String familyId) {
    return redis.eval(SCRIPT, List.of(familyKeys + familyId), List.of("family-revoked"))
        .map(revoked -> revoked.toInteger() == 1);
  }

  @Override
  public Future<List<RefreshToken>> revokeFamily(String familyId, Instant at) {
    List<String> args = RedisValues.args("revoke-family", RedisValues.millis(at), tokenKeys);
    args.addAll(FIELDS);
    return redis.eval(SCRIPT, List.of(familyKeys + familyId), args).map(RedisRefreshTokenStore::tokens);
  }

  @Override
  public Future<List<RefreshToken>> revokeForUser(String userId, Instant at) {
    return revokeFamilies(userFamilyKeys + userId, at);
  }

  @Override
  public Future<List<RefreshToken>> revokeForSession(String sid, Instant at) {
    return revokeFamilies(sessionFamilyKeys + sid, at);
  }

  @Override
  public Future<List<RefreshToken>> revokeForClient(String userId, String clientId, Instant at) {
    List<String> args = RedisValues.args("revoke-client-families", RedisValues.millis(at), tokenKeys, familyKeys,
        clientId);
    args.addAll(FIELDS);
    return redis.eval(SCRIPT, List.of(userFamilyKeys + userId), args).map(RedisRefreshTokenStore::tokens);
  }

  private Future<List<RefreshToken>> revokeFamilies(String index, Instant at) {
    List<String> args = RedisValues.args("revoke-families", RedisValues.millis(at), tokenKeys, familyKeys);
    args.addAll(FIELDS);
    return redis.eval(SCRIPT, List.of(index), args).map(RedisRefreshTokenStore::tokens);
  }

  private static List<RefreshToken> tokens(Response found) {
    List<RefreshToken> tokens = new ArrayList<>();
    for (Response token : found) {
      tokens.add(token(token.get(0).toString(), token, 1));
    }
    return tokens;
  }

  /** Redis expires tokens with their family; nothing is left to sweep. */
  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return Future.succeededFuture(0);
  }

  /** The token whose {@link #FIELDS} start at {@code first} in {@code values}. */
  private static RefreshToken token(String tokenHash, Response values, int first) {
    return new RefreshToken(tokenHash, RedisValues.text(values.get(first)), RedisValues.text(values.get(first + 1)),
        RedisValues.text(values.get(first + 2)), RedisValues.names(values.get(first + 3)),
        RedisValues.text(values.get(first + 4)), RedisValues.instant(values.get(first + 5)),
        RedisValues.instant(values.get(first + 6)), RedisValues.instant(values.get(first + 7)),
        RedisValues.instant(values.get(first + 8)), RedisValues.instant(values.get(first + 9)),
        RedisValues.text(values.get(first + 10)), RedisValues.names(values.get(first + 11)),
        RedisValues.names(values.get(first + 12)), RedisValues.instant(values.get(first + 13)));
  }
}
