package io.gatehouse.identity;

import io.gatehouse.keys.MasterKey;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bouncycastle.util.encoders.Base32;

/**
 * Users' second factors: TOTP (RFC 6238) enrolment and verification, and recovery codes. A TOTP
 * secret is 160 random bits (RFC 4226 §4 R6), sealed with the master key for its user, shown once
 * (as an {@code otpauth://} URI and its base32) and counted as a factor only once a first code
 * confirmed it. A code is used once: the store accepts its time step only if it is later than the
 * last one accepted, in one statement. Recovery codes ({@link RecoveryCodes}) are each consumed by
 * one delete. Hashing and unsealing are microseconds: they run where the store's answer lands.
 * Thread-safe.
 */
public final class SecondFactors {

  /** What checking a code came to. */
  public enum Outcome {
    /** A TOTP code of a step not used before: amr {@code otp}. */
    TOTP,
    /** An unused recovery code, now spent: it stands in for the authenticator (amr {@code otp}). */
    RECOVERY_CODE,
    /** No code of the user's factor, nor an unused recovery code. */
    WRONG,
    /** The code of a step already used (RFC 6238 §5.2). */
    REPLAYED,
    /** The user has no confirmed factor. */
    NO_FACTOR;

    public boolean accepted() {
      return this == TOTP || this == RECOVERY_CODE;
    }
  }

  /**
   * A new, unconfirmed TOTP secret, to show once.
   *
   * @param secret the secret in base32 without padding, for typing into an app
   * @param uri the {@code otpauth://totp/} URI (Google Authenticator's key URI format) for the QR code
   */
  public record Enrolment(String secret, String uri) {
  }

  /** @param recoveryCodesLeft unused recovery codes */
  public record Status(boolean totp, int recoveryCodesLeft) {
  }

  private static final int SECRET_BYTES = 20;

  private final SecondFactorStore store;
  private final MasterKey masterKey;
  private final TotpVerifier verifier = new TotpVerifier();
  private final RecoveryCodes recoveryCodes = new RecoveryCodes();
  private final SecureRandom random = new SecureRandom();
  private final String issuer;
  private final Clock clock;

  /** @param issuer the label authenticator apps show ({@code identity.totp_issuer}) */
  public SecondFactors(SecondFactorStore store, MasterKey masterKey, String issuer, Clock clock) {
    this.store = store;
    this.masterKey = masterKey;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** The factors {@code userId} has. */
  public Future<Status> status(String userId) {
    return store.totp(userId).compose(totp -> store.recoveryCodesLeft(userId)
        .map(left -> new Status(totp.isPresent() && totp.get().confirmed(), left)));
  }

  /** Whether {@code userId} has a confirmed factor to sign in with. */
  public Future<Boolean> has(String userId) {
    return store.totp(userId).map(totp -> totp.isPresent() && totp.get().confirmed());
  }

  /**
   * Starts enrolling a TOTP factor: a new secret, replacing an unconfirmed one. Empty when the user
   * already has a confirmed factor (it is reset first, by the user's administrator).
   */
  public Future<Optional<Enrolment>> beginTotp(User user) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    String base32 = Base32.toBase32String(secret).replace("=", "");
    return store.beginTotp(user.id(), masterKey.seal(label(user.id()), base32), clock.instant())
        .map(stored -> stored ? Optional.of(new Enrolment(base32, uri(user, base32))) : Optional.<Enrolment>empty());
  }

  /**
   * Confirms the unconfirmed factor with a first code: the recovery codes to show once, or empty
   * when the code is not one of it (or there is nothing to confirm).
   */
  public Future<Optional<List<String>>> confirmTotp(User user, String code) {
    Instant now = clock.instant();
    return store.totp(user.id()).compose(found -> {
      if (found.isEmpty() || found.get().confirmed()) {
        return Future.succeededFuture(Optional.<List<String>>empty());
      }
      OptionalLong step = verifier.matchingStep(secret(found.get()), code, now);
      if (step.isEmpty()) {
        return Future.succeededFuture(Optional.<List<String>>empty());
      }
      RecoveryCodes.Issued codes = recoveryCodes.issue(user.id());
      // Only the secret the code was checked against: another enrolment page may have replaced it since.
      return store.confirmTotp(user.id(), found.get().sealedSecret(), step.getAsLong(), now, codes.hashes())
          .map(confirmed -> confirmed ? Optional.of(codes.codes()) : Optional.<List<String>>empty());
    });
  }

  /**
   * Replaces all of {@code userId}'s recovery codes with {@value RecoveryCodes#COUNT} new ones, to
   * show once: the old ones stop working at once. Only for a user with a confirmed TOTP factor
   * (recovery codes stand in for it); empty, and nothing changed, otherwise. The caller makes sure
   * it is the user, recently signed in ({@link Session#signedInRecently}), who asks.
   */
  public Future<Optional<List<String>>> renewRecoveryCodes(String userId) {
    RecoveryCodes.Issued codes = recoveryCodes.issue(userId);
    return store.replaceRecoveryCodes(userId, codes.hashes(), clock.instant())
        .map(replaced -> replaced ? Optional.of(codes.codes()) : Optional.<List<String>>empty());
  }

  /** Checks a code typed at sign-in or step-up: a TOTP code of the user's factor, or a recovery code. */
  public Future<Outcome> verify(String userId, String code) {
    Instant now = clock.instant();
    return store.totp(userId).compose(found -> {
      if (found.isEmpty() || !found.get().confirmed()) {
        return Future.succeededFuture(Outcome.NO_FACTOR);
      }
      String recovery = RecoveryCodes.normalize(code);
      if (recovery != null) {
        return store.useRecoveryCode(userId, RecoveryCodes.hash(userId, recovery))
            .map(used -> used ? Outcome.RECOVERY_CODE : Outcome.WRONG);
      }
      OptionalLong step = verifier.matchingStep(secret(found.get()), code, now);
      if (step.isEmpty()) {
        return Future.succeededFuture(Outcome.WRONG);
      }
      return store.useStep(userId, step.getAsLong()).map(fresh -> fresh ? Outcome.TOTP : Outcome.REPLAYED);
    });
  }

  /** Removes the user's factor and recovery codes; false when there were none. */
  public Future<Boolean> reset(String userId) {
    return store.reset(userId);
  }

  private byte[] secret(TotpFactor factor) {
    return Base32.decode(pad(masterKey.open(label(factor.userId()), factor.sealedSecret())));
  }

  private static String pad(String base32) {
    int rest = base32.length() % 8;
    return rest == 0 ? base32 : base32 + "=".repeat(8 - rest);
  }

  /** Binds a sealed secret to its user: moved to another user's row, it does not open. */
  private static String label(String userId) {
    return "totp:" + userId;
  }

  /** Google Authenticator's key URI format: {@code otpauth://totp/Issuer:user?secret=…&issuer=Issuer}. */
  private String uri(User user, String base32) {
    String account = encode(issuer) + ":" + encode(user.username());
    return "otpauth://totp/" + account + "?secret=" + base32 + "&issuer=" + encode(issuer)
        + "&algorithm=SHA1&digits=" + TotpVerifier.DIGITS + "&period=" + TotpVerifier.STEP.toSeconds();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
