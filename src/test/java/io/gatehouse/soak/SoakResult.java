package io.gatehouse.soak;

import java.util.List;
import java.util.Map;

/**
 * What a soak found.
 *
 * @param requests every request the driver sent (answered or not), load and checks
 * @param broken each kind's count of broken promises (all kinds, zeros included)
 * @param breaks every broken promise seen
 * @param lostWrites acknowledged writes missing at the end
 * @param unverifiedWrites acknowledged writes the final check could not look at
 * @param windows the load's time line cut at each fault
 * @param skippedStarts scenario starts skipped because every driver thread was busy
 */
public record SoakResult(long requests, Map<BrokenPromise, Long> broken, List<Promises.Break> breaks,
    List<String> lostWrites, List<String> unverifiedWrites, List<Window> windows, long skippedStarts) {

  /**
   * One stretch of the load: before the first fault, or from a fault's start to the next one's.
   *
   * @param healedAt when the fault was healed (NaN for the stretch before the first fault)
   * @param recoverySeconds from healing to the end of the last second in which a request was sent
   *     that failed; 0 when
   *     none followed, NaN when failures lasted to the end of the stretch
   */
  public record Window(String name, double from, double to, double healedAt, long requests, long broken,
      Map<String, Long> failures, double recoverySeconds, String problem) {
  }

  public long brokenTotal() {
    return broken.values().stream().mapToLong(Long::longValue).sum();
  }
}
