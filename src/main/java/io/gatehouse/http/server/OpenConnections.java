package io.gatehouse.http.server;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The connections a listener accepted and that are still open, so that a drain can reach each and
 * know when the last has closed. A connection leaves when its channel closes. Thread-safe.
 */
final class OpenConnections {

  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final Promise<Void> allClosed = Promise.promise();
  private volatile boolean awaited;

  void add(Channel channel) {
    open.add(channel);
    channel.closeFuture().addListener(closed -> {
      open.remove(channel);
      if (awaited && open.isEmpty()) {
        allClosed.tryComplete();
      }
    });
  }

  /** Runs {@code action} with each connection open now. */
  void forEach(Consumer<Channel> action) {
    open.forEach(action);
  }

  int size() {
    return open.size();
  }

  /**
   * Completes once no connection is open. Meant for after the listener stopped accepting: a
   * connection accepted after it completed is not waited for.
   */
  Future<Void> allClosed() {
    awaited = true;
    if (open.isEmpty()) {
      allClosed.tryComplete();
    }
    return allClosed.future();
  }
}
