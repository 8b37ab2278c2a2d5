package io.gatehouse.soak;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every write Gatehouse acknowledged with a 2xx during the soak, which the
 * {@link AcknowledgedWritesCheck} looks for at the end. A write whose answer was lost (no answer,
 * a 5xx) may or may not have happened: it is kept as possible, never as promised.
 */
final class Ledger {

  /** An account signed up with a 2xx; its passwords that may be current, and whether a disable was acknowledged. */
  static final class Account {
    final String username;
    final String id;
    final Set<String> passwords = new LinkedHashSet<>();
    volatile boolean passwordChangeAcknowledged;
    volatile boolean disableAcknowledged;
    volatile boolean disableAttempted;

    Account(String username, String id, String password) {
      this.username = username;
      this.id = id;
      passwords.add(password);
    }
  }

  /** A credential a 2xx said no longer works, and how to try it. */
  record Revoked(String what, String path, String header, String value) {
  }

  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final List<Revoked> revoked = new CopyOnWriteArrayList<>();
  private final List<String> revokedRefreshTokens = new CopyOnWriteArrayList<>();

  Account signedUp(String username, String id, String password) {
    Account account = new Account(username, id, password);
    accounts.put(username, account);
    return account;
  }

  /** A password change was sent: {@code acknowledged} when it got its 2xx, else it may or may not have happened. */
  void passwordChange(Account account, String password, boolean acknowledged) {
    synchronized (account) {
      if (acknowledged) {
        account.passwords.clear();
        account.passwordChangeAcknowledged = true;
      }
      account.passwords.add(password);
    }
  }

  void disable(Account account, boolean acknowledged) {
    account.disableAttempted = true;
    if (acknowledged) {
      account.disableAcknowledged = true;
    }
  }

  void revoked(Revoked credential) {
    revoked.add(credential);
  }

  void revokedRefreshToken(String token) {
    revokedRefreshTokens.add(token);
  }

  List<Account> accounts() {
    return new ArrayList<>(accounts.values());
  }

  List<Revoked> revoked() {
    return List.copyOf(revoked);
  }

  List<String> revokedRefreshTokens() {
    return List.copyOf(revokedRefreshTokens);
  }
}
