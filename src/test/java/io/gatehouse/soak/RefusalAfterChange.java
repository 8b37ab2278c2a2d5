package io.gatehouse.soak;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one-second promise: once a revocation, logout, disable or password change is acknowledged,
 * the credentials it ended are refused by every instance within a second. Each is tried on every
 * instance directly (not through the load balancer, which might pick the one that made the change)
 * 1.1 s and 2.5 s after the acknowledgement; a 2xx is a broken promise.
 */
final class RefusalAfterChange {

  /** A request with the credential that must now be refused: {@code GET path} with {@code header: value}. */
  record Probe(String path, String header, String value) {
  }

  private static final long[] AFTER_MILLIS = {1100, 2500};

  private final SoakClient client;
  private final SoakTarget target;
  private final Promises promises;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4,
      SoakClient.daemon("soak-probe"));
  final LongAdder refused = new LongAdder();
  final LongAdder unverified = new LongAdder();

  RefusalAfterChange(SoakClient client, SoakTarget target, Promises promises) {
    this.client = client;
    this.target = target;
    this.promises = promises;
  }

  /** Probes {@code probes} on every instance after the change acknowledged at {@code ackNanos}. */
  void expect(BrokenPromise kind, String change, long ackNanos, List<Probe> probes) {
    for (long after : AFTER_MILLIS) {
      long delay = ackNanos + TimeUnit.MILLISECONDS.toNanos(after) - System.nanoTime();
      timer.schedule(() -> probeAll(kind, change, after, probes), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }
  }

  private void probeAll(BrokenPromise kind, String change, long after, List<Probe> probes) {
    for (SoakTarget.Instance instance : target.instances()) {
      for (Probe probe : probes) {
        HttpRequest request = HttpRequest.newBuilder(instance.http().get().resolve(probe.path()))
            .timeout(SoakClient.TIMEOUT).header(probe.header(), probe.value()).GET().build();
        Answer answer = client.send("probe " + probe.path(), request);
        if (answer.is2xx()) {
          promises.broken(kind, change + ": " + probe.path() + " admitted by instance " + instance.name() + " "
              + after + " ms after the acknowledgement");
        } else if (answer.answered() && (answer.status() == 401 || answer.status() == 403)) {
          refused.increment();
        } else {
          unverified.increment();
        }
      }
    }
  }

  void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
