package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the soak: a request still in flight while the server stopped asked the store for a
 * client after the worker pool was gone, and got a 500. It is a store that cannot be reached: 503.
 */
class StoppingStoreTest {

  @Test
  void workAskedOfAStoppedStoreIsUnavailableNotAnError(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    SqlStorage store = SqlStorage.embedded(vertx, dir);
    try {
      vertx.close().await(); // what Gatehouse.close() does before the store is closed

      Throwable failure = store.users().byId("someone").cause();

      assertThat(failure).isInstanceOf(StoreUnavailable.class);
      assertThat(((StoreUnavailable) failure).retryAfterSeconds()).isPositive();
    } finally {
      store.close();
    }
  }
}
