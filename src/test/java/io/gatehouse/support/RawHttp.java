package io.gatehouse.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends exact bytes over a socket and reads what comes back until the server closes or goes
 * quiet: for requests no well-behaved client would send (hostile paths, oversized heads, slow
 * trickles).
 */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public RawHttp(int port) throws IOException {
    this(port, 10_000);
  }

  /** @param quietMillis how long a read waits for bytes before giving up */
  public RawHttp(int port, int quietMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(quietMillis);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** One request with {@code Connection: close}; returns the whole response as text. */
  public static String exchange(int port, String requestHead) throws IOException {
    try (RawHttp raw = new RawHttp(port)) {
      raw.write(requestHead);
      return raw.readAll();
    }
  }

  public void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Whether the server writes nothing for the quiet period (it may close, or keep waiting). */
  public boolean staysSilent() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return true;
    }
  }

  /** Waits for the first bytes the server sends and returns what one read gives. */
  public String readSome() throws IOException {
    byte[] chunk = new byte[8192];
    int n = in.read(chunk);
    return n <= 0 ? "" : new String(chunk, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** Reads until the server closes the connection (or the quiet period passes). */
  public String readAll() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      int n;
      while ((n = in.read(chunk)) > 0) {
        buffer.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // what arrived so far is the answer
    }
    return buffer.toString(StandardCharsets.ISO_8859_1);
  }

  public static int status(String response) {
    return response.length() < 12 ? -1 : Integer.parseInt(response.substring(9, 12));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
