package io.gatehouse.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free port to a real server (PostgreSQL, Redis), which a test can cut, as a
 * network or a server failure would, and restore: the real server stays up for everyone else. It
 * can also freeze, as a partition does: connections stay open and bytes are held, not refused.
 */
public final class TcpRelay implements AutoCloseable {

  private final String host;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;
  private ServerSocket listener;
  private int port;

  public TcpRelay(String host, int targetPort) throws IOException {
    this.host = host;
    this.targetPort = targetPort;
    listen(0);
  }

  public int port() {
    return port;
  }

  /** Closes every relayed connection and stops accepting: like the server going away. */
  public synchronized void cut() throws IOException {
    listener.close();
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  /** Holds every byte in both directions (without closing anything) until {@link #thaw()}. */
  public void freeze() {
    frozen = true;
  }

  /** Delivers what was held, and relays again. */
  public void thaw() {
    frozen = false;
  }

  /** Accepts again, on the same port. */
  public synchronized void restore() throws IOException {
    listen(port);
  }

  private void listen(int on) throws IOException {
    listener = new ServerSocket(on, 50, InetAddress.getLoopbackAddress());
    listener.setReuseAddress(true);
    port = listener.getLocalPort();
    ServerSocket accepting = listener;
    Thread acceptor = new Thread(() -> {
      while (!accepting.isClosed()) {
        try {
          Socket client = accepting.accept();
          Socket server = new Socket(host, targetPort);
          open.add(client);
          open.add(server);
          pump(client, server);
          pump(server, client);
        } catch (IOException e) {
          return;
        }
      }
    }, "tcp-relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          while (frozen && !to.isClosed()) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed: the other follows
      } finally {
        try {
          to.close();
          from.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, "tcp-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
