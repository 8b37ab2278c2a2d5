package io.gatehouse.store;

/**
 * A store that cannot be reached right now (the database, or Redis while it does not answer):
 * nothing was decided and nothing changed, so the caller may try again after
 * {@link #retryAfterSeconds()}. The composition root maps it to 503 with {@code Retry-After},
 * once for every endpoint and stage. No stack trace: it is an answer, not a bug.
 */
public final class StoreUnavailable extends RuntimeException {

  private final String detail;
  private final long retryAfterSeconds;

  /** @param detail what the caller is told, naming no internals */
  public StoreUnavailable(String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public String detail() {
    return detail;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
