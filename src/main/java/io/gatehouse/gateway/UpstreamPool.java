package io.gatehouse.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to one upstream target from one event loop, so a proxied request never
 * changes threads and the pool needs no locks. The most recently used idle connection is reused
 * first; up to {@code max} connections are open at once, and further requests wait their turn
 * for at most the connect timeout. Confined to its event loop.
 */
final class UpstreamPool {

  /** Told when a connection is ready for a request, or could not be had. */
  interface Acquirer {
    /** @param reused the connection carried a request before (an upstream may have closed it meanwhile) */
    void acquired(UpstreamConnection connection, boolean reused);

    void acquireFailed(Throwable cause);
  }

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final UpstreamTarget target;
  private final int max;
  private final long connectTimeoutMillis;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open;

  UpstreamPool(EventLoop loop, Bootstrap bootstrap, UpstreamTarget target, int max, long connectTimeoutMillis) {
    this.loop = loop;
    this.bootstrap = bootstrap;
    this.target = target;
    this.max = max;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  UpstreamTarget target() {
    return target;
  }

  void acquire(Acquirer acquirer) {
    UpstreamConnection connection;
    while ((connection = idle.pollLast()) != null) {
      if (connection.isUsable()) {
        acquirer.acquired(connection, true);
        return;
      }
      connection.close();
    }
    if (open < max) {
      connect(acquirer);
      return;
    }
    Waiter waiter = new Waiter(acquirer);
    waiter.timer = loop.schedule(() -> {
      if (waiters.remove(waiter)) {
        acquirer.acquireFailed(new ConnectTimeoutException("no upstream connection free within the connect timeout"));
      }
    }, connectTimeoutMillis, TimeUnit.MILLISECONDS);
    waiters.add(waiter);
  }

  /** A fresh connection, for a retry after a reused one turned out closed. */
  void acquireNew(Acquirer acquirer) {
    if (open < max) {
      connect(acquirer);
    } else {
      acquire(acquirer);
    }
  }

  private void connect(Acquirer acquirer) {
    open++;
    ChannelFuture connecting = bootstrap.connect();
    connecting.addListener(done -> {
      if (done.isSuccess()) {
        UpstreamConnection connection = connecting.channel().pipeline().get(UpstreamConnection.class);
        connection.pool(this);
        acquirer.acquired(connection, false);
      } else {
        open--;
        acquirer.acquireFailed(done.cause());
        serveWaiter();
      }
    });
  }

  /** Returns a connection after a response; one that cannot carry another request is closed. */
  void release(UpstreamConnection connection, boolean reusable) {
    if (!reusable || !connection.isUsable()) {
      connection.close();
      return;
    }
    Waiter waiter = waiters.poll();
    if (waiter != null) {
      waiter.timer.cancel(false);
      waiter.acquirer.acquired(connection, true);
      return;
    }
    idle.addLast(connection);
  }

  /** The connection closed (or became a WebSocket tunnel): it no longer counts. */
  void removed(UpstreamConnection connection) {
    open--;
    idle.remove(connection);
    serveWaiter();
  }

  private void serveWaiter() {
    if (open < max) {
      Waiter waiter = waiters.poll();
      if (waiter != null) {
        waiter.timer.cancel(false);
        connect(waiter.acquirer);
      }
    }
  }

  private static final class Waiter {
    final Acquirer acquirer;
    ScheduledFuture<?> timer;

    Waiter(Acquirer acquirer) {
      this.acquirer = acquirer;
    }
  }
}
