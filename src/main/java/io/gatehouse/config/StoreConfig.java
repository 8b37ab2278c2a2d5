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
 */
public record StoreConfig(Path dataDir, PostgresConfig postgres) {

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
    Section s = root.section("store", Set.of("embedded", "postgres"));
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
    return new StoreConfig(Path.of(path), postgres);
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
