package io.gatehouse.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client that writes exactly the frames a test asks for (RFC 9113 §4), including ones
 * a well-behaved client library would never send: more streams than the server allows, or a
 * flood of resets. HPACK is Netty's encoder; frames are read back with their type, flags and stream.
 */
public final class RawHttp2 implements AutoCloseable {

  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int PING = 0x6;
  public static final int GOAWAY = 0x7;
  public static final int REFUSED_STREAM = 0x7;
  public static final int CANCEL = 0x8;
  public static final int ENHANCE_YOUR_CALM = 0xb;

  /** A frame as received; {@code code} is the error code of RST_STREAM and GOAWAY, else -1. */
  public record Frame(int type, int flags, int stream, int code, byte[] payload) {

    /** A GOAWAY's last stream identifier. */
    public int lastStreamId() {
      return java.nio.ByteBuffer.wrap(payload, 0, 4).getInt() & 0x7fffffff;
    }
  }

  private final SSLSocket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();

  public RawHttp2(int port, SSLContext tls) throws Exception {
    socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    if (!"h2".equals(socket.getApplicationProtocol())) {
      throw new IllegalStateException("the server did not choose h2 but " + socket.getApplicationProtocol());
    }
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]);
    out.flush();
  }

  /**
   * A request's HEADERS frame (END_HEADERS, and END_STREAM when {@code endStream}), with
   * {@code extra} header names and values in pairs.
   */
  public RawHttp2 request(int stream, String method, String path, boolean endStream, String... extra)
      throws Exception {
    Http2Headers headers = new DefaultHttp2Headers().method(method).scheme("https").authority("gw").path(path);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      headers.add(extra[i], extra[i + 1]);
    }
    ByteBuf block = Unpooled.buffer();
    hpack.encodeHeaders(stream, headers, block);
    byte[] bytes = new byte[block.readableBytes()];
    block.readBytes(bytes);
    frame(HEADERS, 0x4 | (endStream ? 0x1 : 0), stream, bytes);
    return this;
  }

  public RawHttp2 reset(int stream, int code) throws IOException {
    frame(RST_STREAM, 0, stream, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    return this;
  }

  public void flush() throws IOException {
    out.flush();
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    int length = payload.length;
    out.write(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
        (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
    out.write(payload);
  }

  /** Frames until the server closes the connection or stays quiet for {@code quietMillis}. */
  public List<Frame> read(int quietMillis) throws IOException {
    socket.setSoTimeout(quietMillis);
    List<Frame> frames = new ArrayList<>();
    try {
      while (true) {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        int code = -1;
        if (type == RST_STREAM && length >= 4) {
          code = java.nio.ByteBuffer.wrap(payload).getInt();
        } else if (type == GOAWAY && length >= 8) {
          code = java.nio.ByteBuffer.wrap(payload, 4, 4).getInt();
        }
        if (type == SETTINGS && (flags & 0x1) == 0) {
          frame(SETTINGS, 0x1, 0, new byte[0]); // acknowledge, as RFC 9113 §6.5.3 asks
          out.flush();
        }
        if (type == PING && (flags & 0x1) == 0) {
          frame(PING, 0x1, 0, payload); // answer, as RFC 9113 §6.7 asks
          out.flush();
        }
        frames.add(new Frame(type, flags, stream, code, payload));
      }
    } catch (SocketTimeoutException | EOFException e) {
      return frames;
    } catch (IOException e) {
      if (frames.isEmpty()) {
        throw e;
      }
      return frames; // a reset after the server's last frame
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
