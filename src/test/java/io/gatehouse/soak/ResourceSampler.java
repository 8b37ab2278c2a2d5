package io.gatehouse.soak;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Every few seconds: each instance's resident memory, open descriptors and threads (from
 * {@code /proc/<pid>}), its heap and event-loop lag (from its {@code /metrics}), and the driver's
 * throughput and latency percentiles over the interval.
 */
final class ResourceSampler {

  /** One instance at one time; NaN or -1 where it could not be read (the instance was down). */
  record Sample(double at, String instance, long pid, double rssMb, double heapMb, int fds, int threads,
      double lagMillis) {
  }

  /** The load over one interval. */
  record LoadSample(double at, double perSecond, double p50Millis, double p99Millis, long failures) {
  }

  private final SoakTarget target;
  private final Tally tally;
  private final Duration every;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final List<Sample> samples = new CopyOnWriteArrayList<>();
  final List<LoadSample> load = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;
  private Thread thread;

  ResourceSampler(SoakTarget target, Tally tally, Duration every) {
    this.target = target;
    this.tally = tally;
    this.every = every;
  }

  void start() {
    thread = new Thread(() -> {
      int last = tally.clock().now();
      while (!stopped) {
        try {
          Thread.sleep(every.toMillis()); // real time: one sample of the instances per period of the run
        } catch (InterruptedException e) {
          return;
        }
        int now = tally.clock().now();
        Tally.Snapshot interval = tally.between(last, now);
        load.add(new LoadSample(now, interval.requests() / (double) Math.max(1, now - last),
            interval.percentileMillis(0.5), interval.percentileMillis(0.99), interval.failureCount()));
        last = now;
        for (SoakTarget.Instance instance : target.instances()) {
          samples.add(sample(now, instance));
        }
      }
    }, "soak-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private Sample sample(double at, SoakTarget.Instance instance) {
    long pid = instance.pid().getAsLong();
    Path proc = Path.of("/proc", Long.toString(pid));
    double rss = Double.NaN;
    int threads = -1;
    int fds = -1;
    if (pid > 0 && Files.isDirectory(proc)) {
      try {
        for (String line : Files.readAllLines(proc.resolve("status"))) {
          if (line.startsWith("VmRSS:")) {
            rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
          } else if (line.startsWith("Threads:")) {
            threads = Integer.parseInt(line.replaceAll("\\D", ""));
          }
        }
        try (Stream<Path> open = Files.list(proc.resolve("fd"))) {
          fds = (int) open.count();
        }
      } catch (IOException | RuntimeException e) {
        // the process ended between the check and the read
      }
    }
    double heap = Double.NaN;
    double lag = Double.NaN;
    try {
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(instance.management().get()
          .resolve("/metrics")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      if (metrics.statusCode() == 200) {
        heap = sum(metrics.body(), "jvm_memory_used_bytes{area=\"heap\"") / (1024 * 1024);
        lag = max(metrics.body(), "gatehouse_event_loop_lag_seconds{") * 1000;
      }
    } catch (IOException e) {
      // down: no metrics this time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Sample(at, instance.name(), pid, rss, heap, fds, threads, lag);
  }

  private static double sum(String metrics, String prefix) {
    return metrics.lines().filter(line -> line.startsWith(prefix)).mapToDouble(ResourceSampler::value).sum();
  }

  private static double max(String metrics, String prefix) {
    return metrics.lines().filter(line -> line.startsWith(prefix)).mapToDouble(ResourceSampler::value).max()
        .orElse(Double.NaN);
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
