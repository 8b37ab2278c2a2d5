package io.gatehouse.keys;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** Storage port of signing keys. */
public interface SigningKeyStore {

  /** Every stored key, oldest first. */
  Future<List<StoredKey>> list();

  Future<Void> insert(StoredKey key);

  /** @return false when there is no such key */
  Future<Boolean> update(String kid, Instant activeFrom, Instant retiredAt);

  Future<Boolean> delete(String kid);
}
