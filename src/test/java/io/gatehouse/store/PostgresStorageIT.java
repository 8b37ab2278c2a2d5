package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.Secret;
import io.gatehouse.config.StoreConfig;
import io.gatehouse.support.PostgresDatabase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on the machine's PostgreSQL, a fresh database per test; and what a
 * PostgreSQL that cannot be reached does at open.
 */
class PostgresStorageIT extends SqlStorageContract {

  private PostgresDatabase database;

  @Override
  Storage open(Vertx vertx) {
    database = PostgresDatabase.create();
    return Storage.open(vertx, new StoreConfig(Path.of("unused"),
        new StoreConfig.PostgresConfig(database.url(), database.user(), null)));
  }

  @AfterEach
  void dropDatabase() {
    if (store != null) {
      store.close();
      store = null;
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aServerThatCannotBeReachedIsNamedWithoutThePassword() {
    Vertx other = Vertx.vertx();
    try {
      assertThatThrownBy(() -> Storage.open(other, new StoreConfig(Path.of("unused"),
          new StoreConfig.PostgresConfig("jdbc:postgresql://127.0.0.1:1/gatehouse", "gatehouse",
              new Secret("hunter2-secret")))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:1/gatehouse")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    } finally {
      other.close().await();
    }
  }
}
