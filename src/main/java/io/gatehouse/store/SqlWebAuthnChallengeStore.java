package io.gatehouse.store;

import io.gatehouse.identity.passkey.WebAuthnChallenge;
import io.gatehouse.identity.passkey.WebAuthnChallengeStore;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link WebAuthnChallengeStore} on SQL: a challenge is taken by one {@code DELETE … RETURNING},
 * so of any number of concurrent takers only the one whose delete removed the row gets it.
 */
public final class SqlWebAuthnChallengeStore implements WebAuthnChallengeStore {

  private final Database db;

  public SqlWebAuthnChallengeStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> put(String key, WebAuthnChallenge challenge) {
    return db.run("webauthn_challenges.put", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO webauthn_challenges (ceremony_key, challenge, user_id, "
          + "expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (ceremony_key) DO UPDATE SET challenge = excluded.challenge, "
          + "user_id = excluded.user_id, expires_at = excluded.expires_at")) {
        s.setString(1, key);
        s.setString(2, challenge.challenge());
        s.setString(3, challenge.userId());
        Rows.setInstant(s, 4, challenge.expiresAt());
        s.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Optional<WebAuthnChallenge>> take(String key) {
    return db.run("webauthn_challenges.take", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM webauthn_challenges WHERE ceremony_key = ? RETURNING challenge, user_id, expires_at")) {
        s.setString(1, key);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(new WebAuthnChallenge(rs.getString("challenge"), rs.getString("user_id"),
              Rows.instant(rs, "expires_at"))) : Optional.<WebAuthnChallenge>empty();
        }
      }
    });
  }

  @Override
  public Future<Integer> deleteExpired(Instant now) {
    return db.run("webauthn_challenges.deleteExpired", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM webauthn_challenges WHERE expires_at <= ?")) {
        Rows.setInstant(s, 1, now);
        return s.executeUpdate();
      }
    });
  }
}
