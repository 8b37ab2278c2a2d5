package io.gatehouse.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every answer the driver got, by second of the run: how many, how fast, and the failures by kind.
 * Thread-safe; latencies are kept in logarithmic buckets (7% apart), so a percentile is exact to
 * within a bucket.
 */
public final class Tally {

  static final int BUCKETS = 260;
  private static final double GROWTH = Math.log(1.07);

  private final RunClock clock;
  private final Map<Integer, Second> seconds = new ConcurrentHashMap<>();

  public Tally(RunClock clock) {
    this.clock = clock;
  }

  public RunClock clock() {
    return clock;
  }

  /** An answer that came back (whatever its status) after {@code latencyNanos}. */
  public void answered(long atNanos, long latencyNanos) {
    Second second = second(clock.second(atNanos));
    second.requests.increment();
    second.latency.incrementAndGet(bucket(latencyNanos));
  }

  /**
   * A request that failed or an answer that was not what it should be, by kind ({@code "503"}),
   * counted in the second the request was sent ({@link FaultSchedule#blame}): whether requests
   * sent after a fault was healed succeed is what recovery means.
   */
  public void failed(int second, String kind) {
    second(second).failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** A request without an answer (a transport failure): a request counted now, a failure in {@code second}. */
  public void unanswered(int second, String kind) {
    second(clock.now()).requests.increment();
    failed(second, kind);
  }

  public Second second(int index) {
    return seconds.computeIfAbsent(index, i -> new Second());
  }

  /** The seconds from {@code from} (inclusive) to {@code to} (exclusive), merged. */
  public Snapshot between(int from, int to) {
    Snapshot snapshot = new Snapshot();
    for (int s = from; s < to; s++) {
      Second second = seconds.get(s);
      if (second != null) {
        snapshot.add(second);
      }
    }
    return snapshot;
  }

  /** The last second with a failure in {@code [from, to)}, or -1. */
  public int lastFailure(int from, int to) {
    for (int s = to - 1; s >= from; s--) {
      Second second = seconds.get(s);
      if (second != null && !second.failures.isEmpty()) {
        return s;
      }
    }
    return -1;
  }

  static int bucket(long nanos) {
    long micros = Math.max(1, nanos / 1000);
    return (int) Math.min(BUCKETS - 1, Math.log(micros) / GROWTH);
  }

  /** The upper bound of a bucket, in milliseconds. */
  static double bucketMillis(int bucket) {
    return Math.exp((bucket + 1) * GROWTH) / 1000;
  }

  /** One second's counts. */
  public static final class Second {
    final LongAdder requests = new LongAdder();
    final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  }

  /** Several seconds' counts merged. Not thread-safe. */
  public static final class Snapshot {
    long requests;
    final long[] latency = new long[BUCKETS];
    final Map<String, Long> failures = new TreeMap<>();

    void add(Second second) {
      requests += second.requests.sum();
      for (int i = 0; i < BUCKETS; i++) {
        latency[i] += second.latency.get(i);
      }
      second.failures.forEach((kind, count) -> failures.merge(kind, count.sum(), Long::sum));
    }

    public long requests() {
      return requests;
    }

    public Map<String, Long> failures() {
      return failures;
    }

    public long failureCount() {
      return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The latency at quantile {@code q} (0.5, 0.99) in milliseconds, or 0 without answers. */
    public double percentileMillis(double q) {
      long total = 0;
      for (long count : latency) {
        total += count;
      }
      if (total == 0) {
        return 0;
      }
      long rank = (long) Math.ceil(q * total);
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += latency[i];
        if (seen >= rank) {
          return bucketMillis(i);
        }
      }
      return bucketMillis(BUCKETS - 1);
    }
  }
}
