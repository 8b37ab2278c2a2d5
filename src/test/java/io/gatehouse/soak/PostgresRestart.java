package io.gatehouse.soak;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Properties;
import java.util.Set;

/**
 * PostgreSQL restarting, as the soak's instances see it, without stopping the machine's server:
 * the relay they reach it through refuses connections and resets those open, and every backend of
 * the soak's database is ended with {@code pg_terminate_backend} (what a restart does to them); at
 * healing the relay accepts again.
 */
final class PostgresRestart implements Fault {

  private final FaultRelay relay;
  private final String adminUrl;
  private final String user;
  private final String database;

  /** @param adminUrl a JDBC URL of the server itself (not through the relay) */
  PostgresRestart(FaultRelay relay, String adminUrl, String user, String database) {
    this.relay = relay;
    this.adminUrl = adminUrl;
    this.user = user;
    this.database = database;
  }

  @Override
  public String name() {
    return "PostgreSQL restart (backends terminated, relay refusing)";
  }

  @Override
  public Set<Allowance> allows() {
    return Set.of(Allowance.STORE_UNAVAILABLE);
  }

  @Override
  public void inject() throws Exception {
    relay.cut();
    Properties properties = new Properties();
    properties.setProperty("user", user);
    try (Connection admin = DriverManager.getConnection(adminUrl, properties);
        PreparedStatement terminate = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM "
            + "pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      terminate.setString(1, database);
      terminate.execute();
    }
  }

  @Override
  public void heal() throws Exception {
    relay.restore();
  }
}
