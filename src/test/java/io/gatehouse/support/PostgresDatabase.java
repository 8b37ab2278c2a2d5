package io.gatehouse.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database on the machine's PostgreSQL (127.0.0.1:5432, or {@code GATEHOUSE_TEST_PG}
 * as host:port), dropped again on close. When the server cannot be reached the test is skipped,
 * unless {@code GATEHOUSE_REQUIRE_SERVICES} is set (as in CI), where it fails instead.
 */
public final class PostgresDatabase implements AutoCloseable {

  private static final String SERVER = System.getenv().getOrDefault("GATEHOUSE_TEST_PG", "127.0.0.1:5432");
  private static final String USER = System.getenv().getOrDefault("GATEHOUSE_TEST_PG_USER", "postgres");

  private final String name;

  private PostgresDatabase(String name) {
    this.name = name;
  }

  public static PostgresDatabase create() {
    String name = "gatehouse_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection admin = admin()) {
      admin.createStatement().execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") != null) {
        throw new IllegalStateException("PostgreSQL at " + SERVER + " is required (GATEHOUSE_REQUIRE_SERVICES): "
            + e.getMessage(), e);
      }
      Assumptions.abort("PostgreSQL at " + SERVER + " is not reachable: " + e.getMessage());
    }
    return new PostgresDatabase(name);
  }

  public String url() {
    return "jdbc:postgresql://" + SERVER + "/" + name;
  }

  public String user() {
    return USER;
  }

  private static Connection admin() throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", USER);
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", properties);
  }

  @Override
  public void close() {
    try (Connection admin = admin()) {
      admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop " + name, e);
    }
  }
}
