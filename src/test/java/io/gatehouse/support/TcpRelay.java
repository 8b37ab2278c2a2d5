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
 * network or a server failure would, and restore: the real server stays up for everyone else.
 */
public final class TcpRelay implements AutoCloseable {

  private final String host;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
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

  private static void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
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
