package io.gatehouse.soak;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What the upstream's echo says it got: the body's SHA-256 must be the one sent
 * ({@link BrokenPromise#BODY_CORRUPTED}) and the subject Gatehouse told it must be the
 * credential's, or none for an anonymous caller ({@link BrokenPromise#WRONG_IDENTITY}).
 */
final class EchoCheck {

  private EchoCheck() {
  }

  /** @param subject the subject the credential belongs to, or null for an anonymous request */
  static void check(Promises promises, Answer answer, String sentSha256, String subject) {
    JsonObject echo = new JsonObject(answer.body());
    if (!sentSha256.equals(echo.getString("sha256"))) {
      promises.broken(BrokenPromise.BODY_CORRUPTED, answer.what() + ": sent " + sentSha256 + ", upstream got "
          + echo.getString("sha256") + " (" + echo.getLong("bytes") + " bytes)");
    }
    if (!Objects.equals(subject, echo.getString("subject"))) {
      promises.broken(BrokenPromise.WRONG_IDENTITY, answer.what() + ": credential of " + subject
          + ", upstream told " + echo.getString("subject"));
    }
  }
}
