package io.gatehouse.support;

import io.gatehouse.identity.Session;
import io.gatehouse.store.RedisConnection;
import io.gatehouse.store.Storage;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * The sessions a running server stored for a user, read straight from its store (Redis included
 * when its config has one), as the CLI reads it beside a running server: what the HTTP API does
 * not show, such as the device and address of each sign-in.
 */
public final class StoredSessions {

  private StoredSessions() {
  }

  /** The sessions of {@code userId} on {@code server}'s store, newest first. */
  public static List<Session> forUser(GatehouseFixture server, String userId) {
    Vertx vertx = Vertx.vertx();
    RedisConnection redis = null;
    Storage store = null;
    try {
      redis = server.config.store().redis() == null ? null : RedisConnection.open(vertx, server.config.store().redis()).await();
      store = Storage.open(vertx, server.config, redis, Clock.systemUTC());
      return store.sessions().forUser(userId).await();
    } finally {
      if (store != null) {
        store.close();
      }
      if (redis != null) {
        redis.close();
      }
      vertx.close().await();
    }
  }
}
