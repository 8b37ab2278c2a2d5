package io.gatehouse.store;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * How one user of Redis tells an outage: every call Redis did not answer is counted, and the
 * outage is logged once when it starts (with what the user does meanwhile) and once when Redis
 * answers again, however many calls fail in between. Thread-safe.
 */
public final class RedisOutage {

  private final Logger log;
  private final String what;
  private final String meanwhile;
  private final Counter unanswered;
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param what whose calls these are, as the log names them ("rate limits")
   * @param meanwhile what happens while Redis does not answer ("admitting requests")
   * @param unanswered counts each call Redis did not answer
   */
  public RedisOutage(Logger log, String what, String meanwhile, Counter unanswered) {
    this.log = log;
    this.what = what;
    this.meanwhile = meanwhile;
    this.unanswered = unanswered;
  }

  /** Redis answered a call: an outage, if there was one, is over. */
  public void answered() {
    if (failing.compareAndSet(true, false)) {
      log.info("{}: Redis answers again", what);
    }
  }

  /** Redis did not answer a call. */
  public void unanswered(Throwable cause) {
    unanswered.increment();
    if (failing.compareAndSet(false, true)) {
      log.warn("{}: Redis does not answer ({}); {} until it does", what, cause.toString(), meanwhile);
    }
  }
}
