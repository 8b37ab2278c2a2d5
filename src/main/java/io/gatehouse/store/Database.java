package io.gatehouse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gatehouse.http.ChildSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQL database behind the durable stores, migrated with Flyway at open from the migrations of
 * its dialect ({@code db/migration/sqlite} or {@code db/migration/postgresql}, the same versions).
 * Embedded: SQLite, one file, WAL journal, {@code synchronous=FULL} (a committed write survives
 * kill -9 and power loss), foreign keys on, immediate transactions. Shared: PostgreSQL through a
 * HikariCP pool. The statements of the stores are the same on both. All JDBC runs on a bounded
 * worker pool of its own, never on an event loop. A server found unreachable is answered 503 at
 * once for a second ({@link #HOLD_OFF_NANOS}), then tried again by one call at a time, so an outage
 * costs one connection timeout, not one per request.
 *
 * <p>Every call is named by its store and operation ({@code sessions.byTokenHash}): with tracing
 * export on, a call a request waits on is a client span under it, with {@code db.system.name}
 * ({@code sqlite} or {@code postgresql}) and never a statement's values.
 */
public final class Database implements AutoCloseable {

  public static final String FILE_NAME = "gatehouse.db";
  private static final int CONNECTIONS = 4;
  /** PostgreSQL serves many connections; each Gatehouse instance keeps this many. */
  private static final int POSTGRES_CONNECTIONS = 16;
  static final String UNREACHABLE = "The store cannot be reached right now.";
  static final long RETRY_AFTER_SECONDS = 5;
  /**
   * After a call found the server unreachable, how long others are answered 503 at once instead of
   * each waiting out the connection timeout; then one call at a time tries again.
   */
  static final long HOLD_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** PostgreSQL's SQLSTATE for a unique or primary-key violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");

  private final HikariDataSource dataSource;
  private final WorkerExecutor workers;
  private final ChildSpans spans;
  private final Attributes spanAttributes;
  /** {@link System#nanoTime} until which calls fail fast, the server being unreachable; 0 while it answers. */
  private final AtomicLong failingUntil = new AtomicLong();

  private Database(HikariDataSource dataSource, WorkerExecutor workers, ChildSpans spans, String system) {
    this.dataSource = dataSource;
    this.workers = workers;
    this.spans = spans;
    this.spanAttributes = Attributes.of(DB_SYSTEM, system);
  }

  /**
   * Opens (creating if needed) and migrates {@code <dataDir>/gatehouse.db}. Blocking: call it off the event loop.
   *
   * @param spans where the calls' spans start (recording nothing with tracing export off)
   */
  public static Database openSqlite(Vertx vertx, Path dataDir, ChildSpans spans) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.enforceForeignKeys(true);
    // Another process (the CLI next to a running server) may hold the write lock for a moment.
    sqlite.setBusyTimeout(10_000);
    // Take the write lock at BEGIN, so two transactions never deadlock upgrading read locks.
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource source = new SQLiteDataSource(sqlite);
    source.setUrl("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());

    Flyway.configure().dataSource(source).locations("classpath:db/migration/sqlite")
        .failOnMissingLocations(true).load().migrate();

    HikariConfig pool = new HikariConfig();
    pool.setDataSource(source);
    pool.setPoolName("gatehouse-sqlite");
    pool.setMaximumPoolSize(CONNECTIONS);
    pool.setMinimumIdle(1);
    pool.setConnectionTimeout(TimeUnit.SECONDS.toMillis(10));
    HikariDataSource dataSource = new HikariDataSource(pool);
    return new Database(dataSource, vertx.createSharedWorkerExecutor("gatehouse-sql", CONNECTIONS), spans, "sqlite");
  }

  /**
   * Opens and migrates a PostgreSQL database. Blocking: call it off the event loop.
   *
   * @param spans where the calls' spans start (recording nothing with tracing export off)
   * @throws IllegalStateException naming the server when it cannot be reached (never the password)
   */
  public static Database openPostgres(Vertx vertx, String url, String user, String password, ChildSpans spans) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setPoolName("gatehouse-postgres");
    pool.setMaximumPoolSize(POSTGRES_CONNECTIONS);
    pool.setMinimumIdle(2);
    pool.setConnectionTimeout(TimeUnit.SECONDS.toMillis(5));
    pool.setInitializationFailTimeout(TimeUnit.SECONDS.toMillis(10));
    pool.addDataSourceProperty("connectTimeout", "5");
    pool.addDataSourceProperty("ApplicationName", "gatehouse");
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(pool);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot reach PostgreSQL at " + serverOf(url) + ": " + rootMessage(e), e);
    }
    try {
      Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql")
          .failOnMissingLocations(true).load().migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw new IllegalStateException("cannot migrate PostgreSQL at " + serverOf(url) + ": " + rootMessage(e), e);
    }
    return new Database(dataSource, vertx.createSharedWorkerExecutor("gatehouse-sql", POSTGRES_CONNECTIONS), spans,
        "postgresql");
  }

  /** {@code host:port/database} of a {@code jdbc:postgresql://} URL, for messages: no user, password or parameters. */
  static String serverOf(String url) {
    String rest = url.startsWith("jdbc:postgresql://") ? url.substring("jdbc:postgresql://".length()) : url;
    int query = rest.indexOf('?');
    rest = query >= 0 ? rest.substring(0, query) : rest;
    int at = rest.lastIndexOf('@');
    return at >= 0 ? rest.substring(at + 1) : rest;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** True when {@code e} is a unique or primary-key violation, in either dialect. */
  static boolean isUniqueViolation(SQLException e) {
    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
      return true;
    }
    return e instanceof SQLiteException sqlite
        && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
        || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
  }

  /**
   * Runs {@code work} on a worker with a pooled connection (auto-commit on).
   *
   * @param operation the store and operation it does, as its span is named: {@code sessions.byTokenHash}
   */
  <T> Future<T> run(String operation, SqlWork<T> work) {
    return spans.traced(operation, SpanKind.CLIENT, spanAttributes, () -> run(work));
  }

  private <T> Future<T> run(SqlWork<T> work) {
    long until = failingUntil.get();
    if (until != 0) {
      long now = System.nanoTime();
      // Within the hold-off, or another call is the one trying again: 503 now, not after a timeout.
      if (now - until < 0 || !failingUntil.compareAndSet(until, now + HOLD_OFF_NANOS)) {
        return Future.failedFuture(new StoreUnavailable(UNREACHABLE, RETRY_AFTER_SECONDS));
      }
    }
    try {
      return workers.executeBlocking(() -> {
        T result;
        try (Connection connection = dataSource.getConnection()) {
          result = work.run(connection);
        } catch (SQLException e) {
          if (unreachable(e)) {
            failingUntil.set(System.nanoTime() + HOLD_OFF_NANOS);
            throw new StoreUnavailable(UNREACHABLE, RETRY_AFTER_SECONDS);
          }
          throw e;
        }
        if (failingUntil.get() != 0) {
          failingUntil.set(0); // it answers again
        }
        return result;
      }, false);
    } catch (RejectedExecutionException e) {
      // Stopping: a request still in flight gets the 503 of a store it cannot reach (try again,
      // elsewhere), not a 500; late work (an audit event after the answer) fails as quietly.
      return Future.failedFuture(new StoreUnavailable(UNREACHABLE, RETRY_AFTER_SECONDS));
    }
  }

  /**
   * A server that cannot be reached or a connection lost (SQLSTATE class 08, or no pooled
   * connection in time): the caller answers 503 with {@code Retry-After}, and nothing was
   * acknowledged. Anything else stays an error of the code.
   */
  static boolean unreachable(SQLException e) {
    return e instanceof SQLTransientConnectionException
        || e.getSQLState() != null && e.getSQLState().startsWith("08");
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  <T> Future<T> transaction(String operation, SqlWork<T> work) {
    return run(operation, connection -> {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (Exception e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }

  /** True when a connection answers a trivial query. Blocking. */
  public boolean isUp() {
    try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
      return statement.executeQuery("SELECT 1").next();
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    workers.close();
    dataSource.close();
  }
}
