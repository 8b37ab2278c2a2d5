package io.gatehouse.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every broken promise, with when and what; thread-safe. The soak passes when this stays empty. */
public final class Promises {

  private static final Logger LOG = LoggerFactory.getLogger(Promises.class);

  /** One break: the second of the run it was seen in, its kind and what was seen. */
  public record Break(int second, BrokenPromise kind, String detail) {
  }

  private final RunClock clock;
  private final List<Break> breaks = new CopyOnWriteArrayList<>();

  public Promises(RunClock clock) {
    this.clock = clock;
  }

  public void broken(BrokenPromise kind, String detail) {
    Break broken = new Break(clock.now(), kind, detail);
    breaks.add(broken);
    LOG.error("BROKEN PROMISE at {} s: {}: {}", broken.second(), kind, detail);
  }

  public List<Break> all() {
    return Collections.unmodifiableList(new ArrayList<>(breaks));
  }

  /** The count of each kind (every kind present, zeros included). */
  public Map<BrokenPromise, Long> counts() {
    Map<BrokenPromise, Long> counts = new EnumMap<>(BrokenPromise.class);
    for (BrokenPromise kind : BrokenPromise.values()) {
      counts.put(kind, 0L);
    }
    breaks.forEach(b -> counts.merge(b.kind(), 1L, Long::sum));
    return counts;
  }

  /** The breaks seen in seconds {@code [from, to)}. */
  public long between(int from, int to) {
    return breaks.stream().filter(b -> b.second() >= from && b.second() < to).count();
  }
}
