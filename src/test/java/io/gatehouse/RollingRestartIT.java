package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.Eventually;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.TestBalancer;
import io.gatehouse.support.TestUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 3's test: two instances behind a balancer that health-checks them, under steady
 * load, one restarted with a graceful drain: no request fails. The balancer retries nothing but a
 * refused connection, so a request the draining instance dropped would show as a failure.
 */
class RollingRestartIT {

  private static final String CONFIG = """
      routes:
        - { id: up, path: /up/**, strip_prefix: /up, upstream: "${UP}", auth: [none] }
      shutdown: { delay: 1s, timeout: 10s }
      """;

  @TempDir
  Path dir;

  @Test
  void anInstanceRestartedWithADrainUnderSteadyLoadFailsNoRequest() throws Exception {
    try (TestUpstream upstream = TestUpstream.start("up"); TestBalancer balancer = new TestBalancer()) {
      Map<String, String> env = Map.of("UP", upstream.url());
      GatehouseFixture first = GatehouseFixture.start(dir.resolve("a"), CONFIG, env);
      GatehouseFixture other = GatehouseFixture.start(dir.resolve("b"), CONFIG, env);
      GatehouseFixture restarted = null;
      try {
        balancer.add(TestBalancer.Backend.of("a", first));
        balancer.add(TestBalancer.Backend.of("b", other));
        Eventually.until(() -> balancer.isUp("a") && balancer.isUp("b"), Duration.ofSeconds(15));

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> failed = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> load = List.of(0, 1).stream().map(n -> new Thread(() -> {
          for (int i = 0; loading.get(); i++) {
            // Mostly quick requests, now and then one that takes a while at the upstream.
            String path = i % 8 == 7 ? "/up/sleep?ms=300" : "/up/item-" + n + "-" + i;
            try {
              HttpResponse<String> response = client.send(HttpRequest.newBuilder(balancer.uri(path))
                  .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() != 200) {
                failed.add(path + ": " + response.statusCode() + " " + response.body());
              }
              response.headers().firstValue("X-Backend")
                  .ifPresent(name -> served.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet());
            } catch (Exception e) {
              failed.add(path + ": " + e);
            }
          }
        }, "load-" + n)).toList();
        load.forEach(Thread::start);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(800));

        // A request on the instance about to restart that outlasts the delay: in flight when it
        // stops accepting, so it must finish there, and say Connection: close.
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
            HttpRequest.newBuilder(balancer.uri("/up/sleep?ms=1500")).header("X-Backend", "a").build(),
            HttpResponse.BodyHandlers.ofString());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        first.gatehouse.drain().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        int beforeRestart = served.getOrDefault("a", new AtomicInteger()).get();

        restarted = GatehouseFixture.start(dir.resolve("a"), CONFIG, env); // the same data directory
        balancer.replace("a", TestBalancer.Backend.of("a-restarted", restarted));
        Eventually.until(() -> balancer.isUp("a-restarted"), Duration.ofSeconds(15));
        Eventually.until(() -> served.getOrDefault("a-restarted", new AtomicInteger()).get() >= 20, Duration.ofSeconds(15));
        loading.set(false);
        for (Thread thread : load) {
          thread.join(30_000);
        }

        assertThat(failed).as("requests the clients saw fail").isEmpty();
        assertThat(balancer.failures).as("backends that broke off").isEmpty();
        assertThat(beforeRestart).as("the first instance served before its drain").isPositive();
        assertThat(served.get("b").get()).isPositive();
        assertThat(balancer.closing.get("a").get()).as("the request in flight was answered with Connection: close")
            .isGreaterThanOrEqualTo(1);
        assertThat(balancer.refusedRetries.get()).as("the health check took it out before it stopped accepting")
            .isZero();
      } finally {
        first.close();
        other.close();
        if (restarted != null) {
          restarted.close();
        }
      }
    }
  }
}
