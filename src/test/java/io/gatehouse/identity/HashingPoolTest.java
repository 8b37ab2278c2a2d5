package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashingPoolTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void refusesWorkBeyondTheBoundAtOnceAndAcceptsAgainWhenItDrains() throws Exception {
    HashingPool pool = new HashingPool(vertx.createSharedWorkerExecutor("test-hash", 1), 3);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> admitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      admitted.add(pool.submit(() -> {
        release.await();
        return "done";
      }));
    }
    Future<String> refused = pool.submit(() -> "never");
    assertThat(refused.failed()).as("refused without waiting").isTrue();
    assertThat(refused.cause()).isInstanceOf(HashingPool.BusyException.class);

    release.countDown();
    for (Future<String> future : admitted) {
      assertThat(future.await(10, TimeUnit.SECONDS)).isEqualTo("done");
    }
    // Each admitted future completes after its slot was given back, so there is room again.
    Future<String> again = pool.submit(() -> "again");
    assertThat(again.await(10, TimeUnit.SECONDS)).isEqualTo("again");
  }

  @Test
  void aHashAskedForWhileTheWorkersCloseIsBusyNotAFailure() throws Exception {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("test-closing", 1);
    HashingPool pool = new HashingPool(workers, 3);
    assertThat(pool.submit(() -> "before").await(10, TimeUnit.SECONDS)).isEqualTo("before");
    workers.close().await(10, TimeUnit.SECONDS);
    Future<String> late = pool.submit(() -> "never");
    assertThat(late.failed()).isTrue();
    assertThat(late.cause()).isInstanceOf(HashingPool.BusyException.class);
  }
}
