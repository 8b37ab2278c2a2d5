package io.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.identity.Session;
import io.gatehouse.oauth.AuthorizationCode;
import io.gatehouse.oauth.RefreshToken;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the SQL stores do beyond {@link StorageContract}: rows end only when swept (Redis expires
 * its own), and a user's sessions go with the user by foreign key.
 */
abstract class SqlStorageContract extends StorageContract {

  @Test
  void expiredRowsAreSweptAndSessionsGoWithTheirUser() {
    store.users().insert(user("u1", "alice")).await();
    store.sessions().insert(new Session("s1", "u1", T0, T0, T0.plusSeconds(3600), List.of("pwd", "otp"))).await();
    store.sessions().insert(new Session("s2", "u1", T0, T0, T0.plusSeconds(10), List.of("pwd"))).await();
    store.sessions().insert(new Session("s3", "u1", T0, T0.minusSeconds(120), T0.plusSeconds(3600), List.of("pwd"))).await();
    assertThat(store.sessions().deleteExpired(T0.plusSeconds(20), T0.minusSeconds(60)).await()).isEqualTo(2);
    assertThat(store.sessions().forUser("u1").await()).extracting(Session::tokenHash).containsExactly("s1");

    store.refreshTokens().insert(new RefreshToken("rt-0", "fam-1", "app", "u1", List.of(), "jti-0",
        T0.plusSeconds(600), T0, T0.plus(30, ChronoUnit.DAYS), null, null, null, List.of())).await();
    assertThat(store.refreshTokens().deleteExpired(T0.plus(29, ChronoUnit.DAYS)).await()).isZero();
    assertThat(store.refreshTokens().deleteExpired(T0.plus(31, ChronoUnit.DAYS)).await()).isEqualTo(1);

    store.authorizationCodes().insert(new AuthorizationCode("code-1", "app", "u1", "https://app.example/cb",
        List.of(), null, T0, T0.plusSeconds(60), null, null, null, null,
        new AuthorizationCode.SignIn(null, T0, "sid-1"))).await();
    assertThat(store.authorizationCodes().deleteExpired(T0.plusSeconds(61)).await()).isEqualTo(1);

    store.users().delete("u1").await();
    assertThat(store.sessions().byTokenHash("s1").await()).as("deleted with its user").isEmpty();
  }
}
