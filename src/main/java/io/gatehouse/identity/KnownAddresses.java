package io.gatehouse.identity;

import io.vertx.core.Future;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The addresses an account last logged in from (its owner's usual ones), which the login
 * throttle does not hold back for the account's failures. The port behind which they live: in
 * this process ({@link #inMemory}) or in Redis for every instance. Thread-safe.
 */
public interface KnownAddresses {

  /** Addresses remembered per account. */
  int PER_ACCOUNT = 4;

  Future<Boolean> isKnown(String account, String address);

  /** Remembers {@code address} as the account's latest; the oldest beyond {@link #PER_ACCOUNT} is forgotten. */
  Future<Void> remember(String account, String address);

  /** In this process, for at most {@code maxAccounts} accounts (further ones are not remembered). */
  static KnownAddresses inMemory(int maxAccounts) {
    Map<String, String[]> known = new ConcurrentHashMap<>();
    return new KnownAddresses() {
      @Override
      public Future<Boolean> isKnown(String account, String address) {
        String[] addresses = known.get(account);
        return Future.succeededFuture(addresses != null && Arrays.asList(addresses).contains(address));
      }

      @Override
      public Future<Void> remember(String account, String address) {
        if (known.size() >= maxAccounts && !known.containsKey(account)) {
          return Future.succeededFuture();
        }
        known.compute(account, (key, addresses) -> {
          if (addresses == null) {
            return new String[] {address};
          }
          if (Arrays.asList(addresses).contains(address)) {
            return addresses;
          }
          String[] more = new String[Math.min(addresses.length + 1, PER_ACCOUNT)];
          more[0] = address;
          System.arraycopy(addresses, 0, more, 1, more.length - 1);
          return more;
        });
        return Future.succeededFuture();
      }
    };
  }
}
