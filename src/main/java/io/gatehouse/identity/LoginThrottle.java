package io.gatehouse.identity;

import io.gatehouse.config.Cidr;
import io.gatehouse.ratelimit.FailureCounter;
import io.gatehouse.ratelimit.FailureThrottle;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Slows down password guessing at {@code POST /auth/login}, per account and per address, with a
 * {@link FailureCounter} each (in this process, or in Redis shared by every instance):
 *
 * <ul>
 *   <li>per address: 20 failures free ({@code rate_limits.login_failures.address}), then 1 s
 *       doubling up to 15 min, forgotten after an hour without one; a success takes back only its
 *       own count, so an attacker cannot clear the address by logging into an account of their
 *       own between guesses;</li>
 *   <li>per account (by username, whether it exists or not, so the answers tell nothing): 5
 *       failures free ({@code rate_limits.login_failures.account}), then 1 s doubling up to 1 min,
 *       forgotten after 15 min; a success resets it. The cap bounds how long an attacker can lock
 *       a real user out, and the {@link KnownAddresses} the account last logged in from are not
 *       held back by it at all, so its owner's password from their usual address goes through
 *       however long the attack lasts.</li>
 * </ul>
 *
 * Attempts are counted when they start, and the check and the count of an attempt (over its
 * address and its account) are one atomic step ({@link FailureCounter.Factory#admit}), so parallel
 * guesses, on one instance or several, are held back like sequential ones. Thread-safe.
 */
public final class LoginThrottle {

  private static final int MAX_NAME_KEY = 128;

  private final FailureCounter.Factory counters;
  private final FailureCounter addresses;
  private final FailureCounter accounts;
  private final FailureCounter codes;
  private final KnownAddresses usual;

  /**
   * @param counters where failures are counted: in this process, or in Redis for every instance
   * @param usual the addresses each account last logged in from
   * @param freeFromAddress failures from one address before its delays start (default 20)
   * @param freeForAccount failures for one account before its delays start (default 5)
   */
  public LoginThrottle(FailureCounter.Factory counters, KnownAddresses usual, int freeFromAddress,
      int freeForAccount) {
    this.counters = counters;
    this.addresses = counters.create("login-address", new FailureThrottle.Policy(freeFromAddress,
        Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1)));
    this.accounts = counters.create("login-account", new FailureThrottle.Policy(freeForAccount,
        Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(15)));
    this.codes = counters.create("login-second-factor", new FailureThrottle.Policy(freeForAccount,
        Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1)));
    this.usual = usual;
  }

  /**
   * As {@link #admit}, for a second-factor code of the user {@code userId}: per address (the same
   * count as passwords) and per account, {@code rate_limits.login_failures.account} wrong codes
   * free, then 1 s doubling up to 15 min, forgotten after an hour without one. The usual address
   * earns no exemption: whoever types the code already knows the password.
   */
  public Future<Admission> admitCode(String userId, String address) {
    List<FailureCounter.Attempt> attempts = List.of(new FailureCounter.Attempt(addresses, Cidr.hostKey(address)),
        new FailureCounter.Attempt(codes, userId));
    return counters.admit(attempts).map(decided -> !decided.admitted()
        ? Admission.refused(decided.waitSeconds(), decided.waiting() == 0 ? "address" : "account")
        : Admission.counted(decided.delays().get(0), decided.delays().get(1)));
  }

  /** The code was right: the account's count of wrong codes starts afresh. */
  public Future<Void> codeSucceeded(String userId, String address) {
    return Future.all(codes.succeeded(userId), addresses.forgive(Cidr.hostKey(address))).mapEmpty();
  }

  /**
   * What the throttle says about one login attempt before its password is checked.
   *
   * @param waitSeconds when refused, how long the address or account must still wait; 0 when admitted
   * @param scope what holds it back ({@code address} or {@code account}), or null
   * @param delayIfFailed when admitted, the wait the attempt starts should it fail (0 while failures are free)
   * @param delayScope whose delay that is, or null
   */
  public record Admission(long waitSeconds, String scope, long delayIfFailed, String delayScope) {

    static Admission refused(long waitSeconds, String scope) {
      return new Admission(waitSeconds, scope, 0, null);
    }

    /** Counted, with the delays each count starts if the attempt fails: the larger one is reported. */
    static Admission counted(long addressDelay, long accountDelay) {
      return accountDelay > addressDelay ? new Admission(0, null, accountDelay, "account")
          : new Admission(0, null, addressDelay, addressDelay > 0 ? "address" : null);
    }

    public boolean admitted() {
      return waitSeconds == 0;
    }
  }

  /**
   * Refuses the attempt while the address or the account must wait, else counts it (and tells
   * the delays it starts should it fail).
   *
   * @param username as typed (compared by its normalised key)
   */
  public Future<Admission> admit(String username, String address) {
    String account = accountKey(username);
    String from = Cidr.hostKey(address);
    return usual.isKnown(account, from).compose(usualAddress -> admit(account, from, usualAddress));
  }

  /**
   * As {@link #admit}, for a password given to change it ({@code POST /auth/password}): the caller
   * holds a session, perhaps a stolen one, so its usual address earns no exemption.
   */
  public Future<Admission> admitPasswordChange(String username, String address) {
    return admit(accountKey(username), Cidr.hostKey(address), false);
  }

  private Future<Admission> admit(String account, String from, boolean usualAddress) {
    List<FailureCounter.Attempt> attempts = usualAddress ? List.of(new FailureCounter.Attempt(addresses, from))
        : List.of(new FailureCounter.Attempt(addresses, from), new FailureCounter.Attempt(accounts, account));
    return counters.admit(attempts).map(decided -> {
      if (!decided.admitted()) {
        return Admission.refused(decided.waitSeconds(), decided.waiting() == 0 ? "address" : "account");
      }
      return Admission.counted(decided.delays().get(0), usualAddress ? 0 : decided.delays().get(1));
    });
  }

  /** The password was right: the account starts afresh and remembers the address. */
  public Future<Void> succeeded(String username, String address) {
    String account = accountKey(username);
    String from = Cidr.hostKey(address);
    return Future.all(accounts.succeeded(account), addresses.forgive(from), usual.remember(account, from)).mapEmpty();
  }

  /** Forgets what no longer counts in this process. Walks every key: off the event loops. */
  public void sweep() {
    addresses.sweep();
    accounts.sweep();
    codes.sweep();
  }

  private static String accountKey(String username) {
    String normalized = username == null ? null : Username.normalize(username);
    if (normalized != null) {
      return Username.key(normalized);
    }
    String raw = username == null ? "" : username;
    return "\n" + (raw.length() > MAX_NAME_KEY ? raw.substring(0, MAX_NAME_KEY) : raw);
  }
}
