package io.gatehouse.identity;

import io.gatehouse.ratelimit.FailureCounter;
import io.gatehouse.ratelimit.FailureThrottle;
import io.vertx.core.Future;
import io.gatehouse.http.Cidr;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing at {@code POST /auth/login}, per account and per address, with a
 * {@link FailureThrottle} each:
 *
 * <ul>
 *   <li>per address: 20 failures free ({@code rate_limits.login_failures.address}), then 1 s doubling up to 15 min, forgotten after an hour
 *       without one; a success takes back only its own count, so an attacker cannot clear the
 *       address by logging into an account of their own between guesses;</li>
 *   <li>per account (by username, whether it exists or not, so the answers tell nothing): 5
 *       failures free ({@code rate_limits.login_failures.account}), then 1 s doubling up to 1 min, forgotten after 15 min; a success resets
 *       it. The cap bounds how long an attacker can lock a real user out, and the addresses the
 *       account last logged in from are not held back by it at all, so its owner's password from
 *       their usual address goes through however long the attack lasts.</li>
 * </ul>
 *
 * Attempts are counted when they start, so parallel guesses are counted too. Memory: at most
 * {@code maxKeys} keys in each. Thread-safe.
 */
public final class LoginThrottle {

  /** Addresses remembered per account as its usual ones. */
  private static final int USUAL_ADDRESSES = 4;
  private static final int MAX_NAME_KEY = 128;

  private final FailureCounter addresses;
  private final FailureCounter accounts;
  private final Map<String, String[]> usual = new ConcurrentHashMap<>();
  private final int maxKeys;

  /**
   * @param counters where failures are counted: in this process, or in Redis for every instance
   * @param maxKeys accounts whose usual addresses are remembered (in this process)
   * @param freeFromAddress failures from one address before its delays start (default 20)
   * @param freeForAccount failures for one account before its delays start (default 5)
   */
  public LoginThrottle(FailureCounter.Factory counters, int maxKeys, int freeFromAddress, int freeForAccount) {
    this.addresses = counters.create("login-address", new FailureThrottle.Policy(freeFromAddress,
        Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1)));
    this.accounts = counters.create("login-account", new FailureThrottle.Policy(freeForAccount,
        Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(15)));
    this.maxKeys = maxKeys;
  }

  /** What the throttle says about one login attempt before its password is checked. */
  public record Admission(long waitSeconds, String scope) {
    public boolean admitted() {
      return waitSeconds == 0;
    }
  }

  /**
   * Refuses the attempt while the address or the account must wait, else counts it.
   *
   * @param username as typed (compared by its normalised key)
   */
  public Future<Admission> admit(String username, String address) {
    String account = accountKey(username);
    String from = Cidr.hostKey(address);
    boolean usualAddress = isUsual(account, from);
    return addresses.waitSeconds(from).compose(addressWait -> {
      if (addressWait > 0) {
        return Future.succeededFuture(new Admission(addressWait, "address"));
      }
      Future<Long> accountWait = usualAddress ? Future.succeededFuture(0L) : accounts.waitSeconds(account);
      return accountWait.compose(wait -> {
        if (wait > 0) {
          return Future.succeededFuture(new Admission(wait, "account"));
        }
        Future<Long> countedAccount = usualAddress ? Future.succeededFuture(0L) : accounts.attempt(account);
        return Future.all(addresses.attempt(from), countedAccount).map(counted -> new Admission(0, null));
      });
    });
  }

  /** The password was right: the account starts afresh and remembers the address. */
  public Future<Void> succeeded(String username, String address) {
    String account = accountKey(username);
    String from = Cidr.hostKey(address);
    remember(account, from);
    return Future.all(accounts.succeeded(account), addresses.forgive(from)).mapEmpty();
  }

  /**
   * The wait a failed attempt started, for the audit: the larger of the address's and (unless it
   * is a usual one) the account's; 0 while failures are still free.
   */
  public Future<Admission> delayAfterFailure(String username, String address) {
    String account = accountKey(username);
    String from = Cidr.hostKey(address);
    Future<Long> accountWait = isUsual(account, from) ? Future.succeededFuture(0L) : accounts.waitSeconds(account);
    return Future.all(addresses.waitSeconds(from), accountWait).map(waits -> {
      long byAddress = waits.<Long>resultAt(0);
      long byAccount = waits.<Long>resultAt(1);
      return byAccount > byAddress ? new Admission(byAccount, "account") : new Admission(byAddress, "address");
    });
  }

  /** Forgets what no longer counts in this process. Walks every key: off the event loops. */
  public void sweep() {
    if (addresses instanceof FailureThrottle local) {
      local.sweep();
    }
    if (accounts instanceof FailureThrottle local) {
      local.sweep();
    }
  }

  private boolean isUsual(String account, String address) {
    String[] known = usual.get(account);
    return known != null && Arrays.asList(known).contains(address);
  }

  private void remember(String account, String address) {
    if (usual.size() >= maxKeys && !usual.containsKey(account)) {
      return;
    }
    usual.compute(account, (key, known) -> {
      if (known == null) {
        return new String[] {address};
      }
      if (Arrays.asList(known).contains(address)) {
        return known;
      }
      String[] more = new String[Math.min(known.length + 1, USUAL_ADDRESSES)];
      more[0] = address;
      System.arraycopy(known, 0, more, 1, more.length - 1);
      return more;
    });
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
