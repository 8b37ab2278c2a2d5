package io.gatehouse.soak;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/** Accounts signed in once at the start, never changed: the steady scenarios' callers. */
final class UserPool {

  /** An account and its credentials: a session, an own access token, an API key. */
  record PoolUser(String username, String password, String id, String session, String accessToken,
      String apiKey) {
  }

  private final List<PoolUser> users = new CopyOnWriteArrayList<>();

  void add(PoolUser user) {
    users.add(user);
  }

  int size() {
    return users.size();
  }

  PoolUser any() {
    return users.get(ThreadLocalRandom.current().nextInt(users.size()));
  }
}
