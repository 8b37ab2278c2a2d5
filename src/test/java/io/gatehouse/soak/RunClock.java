package io.gatehouse.soak;

/** The soak's time line: seconds since the run began, which every tally and fault window is kept in. */
public final class RunClock {

  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();

  /** The second of the run {@code nanos} (a {@link System#nanoTime()}) falls in. */
  public int second(long nanos) {
    return (int) ((nanos - startNanos) / 1_000_000_000L);
  }

  public int now() {
    return second(System.nanoTime());
  }

  /** Seconds since the start, with fractions. */
  public double elapsed() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The wall-clock time the run began, in epoch milliseconds. */
  public long startMillis() {
    return startMillis;
  }
}
