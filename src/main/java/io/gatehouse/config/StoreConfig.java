package io.gatehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where state lives, {@code store}. Embedded (the default): a SQLite file in a data directory
 * ({@code ./data}). Shared, for several instances: {@code postgres} for the durable data.
 *
 * @param dataDir the data directory: the SQLite file when embedded, and in any case the generated
 *     TLS certificate and, when embedded, the master key
 * @param postgres the PostgreSQL database, or null for the embedded store
 * @param redis the Redis server the instances share counters through, or null to count in each
 */
public record StoreConfig(Path dataDir, PostgresConfig postgres, RedisConfig redis) {

  /** Without the shared parts: the embedded store in {@code dataDir}, or PostgreSQL. */
  public StoreConfig(Path dataDir, PostgresConfig postgres) {
    this(dataDir, postgres, null);
  }

  /**
   * {@code store.redis: {url: redis://127.0.0.1:6379, password: ${REDIS_PASSWORD}, prefix: gatehouse}}:
   * what the instances count together (rate limits), under keys that start with {@code prefix:},
   * so several deployments can share one Redis.
   */
  public record RedisConfig(String url, Secret password, String prefix) {
  }

  /**
   * {@code store.postgres: {url: jdbc:postgresql://host:5432/db, user: …, password: ${PGPASSWORD}}}.
   *
   * @param password null for none (trust or peer authentication)
   */
  public record PostgresConfig(String url, String user, Secret password) {
  }

  public boolean isShared() {
    return postgres != null;
  }

  static StoreConfig read(Section root) {
    Section s = root.section("store", Set.of("embedded", "postgres", "redis"));
    Section embedded = s.section("embedded", Set.of("path"));
    String path = embedded.string("path", "./data");
    if (path.isBlank()) {
      embedded.problem("path", "must not be empty");
      path = "./data";
    }
    PostgresConfig postgres = null;
    if (s.has("postgres")) {
      Section pg = s.section("postgres", Set.of("url", "user", "password"));
      String url = pg.string("url", null);
      if (url == null) {
        pg.problems().add(pg.node(), "url is required (jdbc:postgresql://host:5432/database)");
      } else if (!url.startsWith("jdbc:postgresql://") || !validHost(url)) {
        pg.problem("url", "'" + url.replaceAll("(?i)password=[^&]*", "password=***")
            + "' (expected: jdbc:postgresql://host:port/database)");
        url = null;
      } else if (url.matches("(?i).*[?&]password=.*")) {
        pg.problem("url", "carries a password (expected: password in store.postgres.password, from the environment)");
        url = null;
      }
      String password = pg.string("password", null);
      postgres = url == null ? null : new PostgresConfig(url, pg.string("user", null),
          password == null || password.isEmpty() ? null : new Secret(password));
    }
    RedisConfig redis = null;
    if (s.has("redis")) {
      Section r = s.section("redis", Set.of("url", "password", "prefix"));
      String url = r.string("url", "redis://127.0.0.1:6379");
      if (!url.matches("rediss?://[^/@\\s]+(/\\d{1,2})?")) {
        r.problem("url", "'" + url.replaceAll("//[^@/]*@", "//***@")
            + "' (expected: redis://host:port or rediss://host:port, optionally /db; the password in store.redis.password)");
        url = null;
      }
      String prefix = r.string("prefix", "gatehouse");
      if (!prefix.matches("[A-Za-z0-9_.-]{1,64}")) {
        r.problem("prefix", "'" + prefix + "' (expected: 1-64 of A-Z a-z 0-9 _ . -)");
      }
      String password = r.string("password", null);
      redis = url == null ? null
          : new RedisConfig(url, password == null || password.isEmpty() ? null : new Secret(password), prefix);
    }
    return new StoreConfig(Path.of(path), postgres, redis);
  }

  private static boolean validHost(String url) {
    try {
      URI uri = URI.create(url.substring("jdbc:".length()));
      return uri.getHost() != null && uri.getPath() != null && uri.getPath().length() > 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
