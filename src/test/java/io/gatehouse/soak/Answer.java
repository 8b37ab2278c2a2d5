package io.gatehouse.soak;

import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * What one request got: a status, headers and body, or no answer at all ({@link #error}).
 *
 * @param startedAt when it was sent, in seconds of the run
 * @param endedAt when it ended, in seconds of the run
 * @param body the body as text; for a digested download, the SHA-256 of its bytes in hex
 */
public record Answer(String what, int status, HttpHeaders headers, String body, double startedAt, double endedAt,
    Throwable error) {

  public boolean answered() {
    return error == null;
  }

  public boolean is2xx() {
    return error == null && status >= 200 && status < 300;
  }

  /** A failure that is no answer at all or a 5xx: what faults cause, judged by {@link ServerErrorCheck}. */
  public boolean failedByFault() {
    return error != null || status >= 500;
  }

  public Optional<String> header(String name) {
    return headers == null ? Optional.empty() : headers.firstValue(name);
  }

  @Override
  public String toString() {
    return what + ": " + (error != null ? "no answer (" + error + ")" : status + " " + abbreviated());
  }

  private String abbreviated() {
    return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
  }
}
