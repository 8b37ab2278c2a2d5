package io.gatehouse.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay from a port of its own to a real server, which the soak makes worse on purpose: it
 * adds latency to every chunk in both directions, resets every open connection, or goes away
 * entirely (refusing new connections) and comes back on the same port. The server behind it stays
 * up for everyone else on the machine. Thread-safe; a pair of threads per relayed connection.
 */
public final class FaultRelay implements AutoCloseable {

  private final String name;
  private final String host;
  private volatile int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile long latencyMillis;
  private ServerSocket listener;
  private int port;

  /**
   * @param port the port to listen on, 0 for any free one
   */
  public FaultRelay(String name, int port, String host, int targetPort) throws IOException {
    this.name = name;
    this.host = host;
    this.targetPort = targetPort;
    listen(port);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** Relays new connections to {@code port} from now on (a server restarted on another port). */
  public void retarget(int port) {
    this.targetPort = port;
  }

  /** Delays every chunk read from either side by this much before passing it on; 0 for none. */
  public void latency(long millis) {
    this.latencyMillis = millis;
  }

  /** Resets every open connection (an RST to both sides); new ones are accepted as before. */
  public void reset() {
    for (Socket socket : open) {
      abort(socket);
    }
    open.clear();
  }

  /** Resets every open connection and refuses new ones: as if the server went away. */
  public synchronized void cut() throws IOException {
    if (listener != null) {
      listener.close();
      listener = null;
    }
    reset();
  }

  /** Accepts again, on the same port. */
  public synchronized void restore() throws IOException {
    if (listener == null) {
      listen(port);
    }
  }

  private synchronized void listen(int on) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), on), 128);
    listener = server;
    port = server.getLocalPort();
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream;
          try {
            upstream = new Socket(host, targetPort);
          } catch (IOException e) {
            abort(client); // the server behind is down: the client sees its connection reset
            continue;
          }
          client.setTcpNoDelay(true);
          upstream.setTcpNoDelay(true);
          open.add(client);
          open.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          return; // closed by cut()
        }
      }
    }, "relay-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[32768];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long delay = latencyMillis;
          if (delay > 0) {
            Thread.sleep(delay); // real time: the injected network latency is the fault
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // one side went away: the other follows
      } finally {
        close(to);
        close(from);
        open.remove(from);
        open.remove(to);
      }
    }, "relay-" + name + "-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void abort(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // close with an RST, as a crashed peer or a dropped route would
    } catch (IOException e) {
      // already closed
    }
    close(socket);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
