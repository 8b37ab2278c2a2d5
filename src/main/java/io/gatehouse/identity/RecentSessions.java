package io.gatehouse.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions resolved a moment ago ({@link #FRESH_FOR}), with their users, so that a burst of
 * requests on one session reads the store once rather than twice per request (the session, then
 * its user: two SQL queries, or a Redis read and a PostgreSQL query). An entry is forgotten at
 * once when its session ends or its user changes on this instance, on the announcement of
 * another instance, and in any case after {@link #FRESH_FOR}: no instance honours an ended
 * session or a disabled user for longer than that. Bounded: when full it starts over, and
 * {@link #sweep} drops what is no longer fresh. Thread-safe.
 */
final class RecentSessions {

  /** How long a resolved session is taken as checked. */
  static final Duration FRESH_FOR = Duration.ofMillis(500);
  /** Sessions checked within {@link #FRESH_FOR}: enough for 20,000 distinct sessions a second. */
  private static final int MAX_ENTRIES = 10_000;

  /** A session as checked at {@code checkedAt}, and its user then. */
  record Checked(Session session, User user, Instant checkedAt) {
  }

  private final ConcurrentHashMap<String, Checked> entries = new ConcurrentHashMap<>();

  /** The session {@code tokenHash} names, with its user, when it was checked less than {@link #FRESH_FOR} ago. */
  Checked fresh(String tokenHash, Instant now) {
    Checked entry = entries.get(tokenHash);
    if (entry == null) {
      return null;
    }
    if (!now.isBefore(entry.checkedAt().plus(FRESH_FOR)) || now.isBefore(entry.checkedAt())) {
      entries.remove(tokenHash, entry);
      return null;
    }
    return entry;
  }

  void remember(Session session, User user, Instant now) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(session.tokenHash(), new Checked(session, user, now));
  }

  void forget(String tokenHash) {
    entries.remove(tokenHash);
  }

  /** Drops every entry no longer fresh at {@code now}. */
  void sweep(Instant now) {
    entries.values().removeIf(entry -> !now.isBefore(entry.checkedAt().plus(FRESH_FOR)));
  }

  void forgetUser(String userId) {
    entries.values().removeIf(entry -> entry.session().userId().equals(userId));
  }
}
