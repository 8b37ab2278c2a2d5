package io.gatehouse.store;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the embedded SQLite store, a fresh file per test. */
class SqliteStorageIT extends SqlStorageContract {

  @TempDir
  Path dir;

  @Override
  Storage open(Vertx vertx) {
    return SqlStorage.embedded(vertx, dir);
  }
}
