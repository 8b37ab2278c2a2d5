package io.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.SessionsConfig;
import io.gatehouse.store.SqlStorage;
import io.gatehouse.support.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a session checked a moment ago counts as checked (on a real SQLite store and a fake
 * clock): what another instance changed in the store is seen within {@link RecentSessions#FRESH_FOR},
 * what this instance changed at once, and each change here is announced to the others.
 */
class RecentSessionsIT {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir
  Path dir;
  private Vertx vertx;
  private SqlStorage store;
  private final MutableClock clock = new MutableClock(T0);
  private final List<String> announced = new CopyOnWriteArrayList<>();
  private Sessions sessions;
  private User alice;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    store = SqlStorage.embedded(vertx, dir);
    alice = new User("u1", "alice", "alice", null, List.of("user"), false, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        T0, T0);
    store.users().insert(alice).await();
    sessions = new Sessions(store.sessions(), store.users(),
        new SessionsConfig(Duration.ofMinutes(30), Duration.ofMinutes(30), "gh_session"), new SecretTokens(), clock,
        new Sessions.Changes() {
          @Override
          public void sessionEnded(String tokenHash) {
            announced.add("ended " + tokenHash);
          }

          @Override
          public void userChanged(String userId) {
            announced.add("changed " + userId);
          }
        }, IssuedTokens.NONE);
  }

  @AfterEach
  void close() {
    store.close();
    vertx.close().await();
  }

  @Test
  void anEndElsewhereIsSeenWithinHalfASecondAndAtOnceWhenAnnounced() {
    String token = sessions.start(alice, List.of("pwd")).await().token();
    assertThat(sessions.resolve(token).await()).isPresent();
    store.sessions().delete(SecretTokens.sha256(token)).await(); // as another instance's logout does

    clock.advance(RecentSessions.FRESH_FOR.minusMillis(1));
    assertThat(sessions.resolve(token).await()).as("checked a moment ago").isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(sessions.resolve(token).await()).as("read again").isEmpty();

    String other = sessions.start(alice, List.of("pwd")).await().token();
    assertThat(sessions.resolve(other).await()).isPresent();
    store.sessions().delete(SecretTokens.sha256(other)).await();
    sessions.endedElsewhere(SecretTokens.sha256(other)); // the announcement
    assertThat(sessions.resolve(other).await()).isEmpty();
  }

  @Test
  void whatThisInstanceChangesCountsAtOnceAndIsAnnounced() {
    String token = sessions.start(alice, List.of("pwd")).await().token();
    assertThat(sessions.resolve(token).await()).isPresent();
    assertThat(sessions.end(token).await()).isTrue();
    assertThat(sessions.resolve(token).await()).isEmpty();
    assertThat(announced).containsExactly("ended " + SecretTokens.sha256(token));

    String again = sessions.start(alice, List.of("pwd")).await().token();
    assertThat(sessions.resolve(again).await()).isPresent();
    new AccountAdmin(null, store.users(), sessions, null, clock, null).setDisabled("u1", true).await();
    assertThat(sessions.resolve(again).await()).as("disabled").isEmpty();
    assertThat(announced).endsWith("changed u1");
  }

  @Test
  void aSessionCheckedAMomentAgoStillEndsOnTime() {
    String token = sessions.start(alice, List.of("pwd")).await().token();
    clock.advance(Duration.ofMinutes(30).minusMillis(100));
    assertThat(sessions.resolve(token).await()).isPresent();
    clock.advance(Duration.ofMillis(100));
    assertThat(sessions.resolve(token).await()).as("30 minutes old").isEmpty();
  }
}
