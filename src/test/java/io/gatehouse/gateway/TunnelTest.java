package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.http.GoingAway;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket tunnel going away (RFC 6455 §7.4.1): each side gets a Close with status 1001 between
 * two of its frames, never inside one; the one to the upstream is masked (§5.3); the client's
 * connection closes when its answering Close arrives.
 */
class TunnelTest {

  private final EmbeddedChannel client = new EmbeddedChannel();
  private final EmbeddedChannel upstream = new EmbeddedChannel();

  @Test
  void aCloseGoesBetweenFramesEachWayAndTheClientsAnswerEndsIt() {
    Tunnel.splice(client, upstream, false);
    byte[] big = new byte[300];
    // A masked client frame of 300 bytes (extended length), arriving in two parts.
    byte[] fromClient = frame(0x2, big, new byte[] {1, 2, 3, 4});
    client.writeInbound(Unpooled.wrappedBuffer(fromClient, 0, 100));
    // An unmasked upstream frame, arriving in two parts too.
    byte[] fromUpstream = frame(0x1, "hello, world".getBytes(StandardCharsets.US_ASCII), null);
    upstream.writeInbound(Unpooled.wrappedBuffer(fromUpstream, 0, 5));

    client.pipeline().fireUserEventTriggered(new GoingAway());
    assertThat(drain(upstream)).as("nothing inside a frame").isEqualTo(slice(fromClient, 0, 100));
    assertThat(drain(client)).isEqualTo(slice(fromUpstream, 0, 5));

    // The rest of each frame, and a next one that must not follow the Close.
    client.writeInbound(Unpooled.wrappedBuffer(concat(slice(fromClient, 100, fromClient.length),
        frame(0x1, new byte[] {'x'}, new byte[] {9, 9, 9, 9}))));
    upstream.writeInbound(Unpooled.wrappedBuffer(concat(slice(fromUpstream, 5, fromUpstream.length),
        frame(0x1, new byte[] {'y'}, null))));

    byte[] toUpstream = drain(upstream);
    assertThat(slice(toUpstream, 0, fromClient.length - 100)).isEqualTo(slice(fromClient, 100, fromClient.length));
    assertClose(slice(toUpstream, fromClient.length - 100, toUpstream.length), true);
    byte[] toClient = drain(client);
    assertThat(slice(toClient, 0, fromUpstream.length - 5)).isEqualTo(slice(fromUpstream, 5, fromUpstream.length));
    assertClose(slice(toClient, fromUpstream.length - 5, toClient.length), false);
    assertThat(client.isActive()).isTrue();

    // The client answers with its own Close: the server closes the connection first (§7.1.1).
    client.writeInbound(Unpooled.wrappedBuffer(frame(0x8, new byte[] {0x03, (byte) 0xE9}, new byte[] {5, 6, 7, 8})));
    client.runPendingTasks();
    assertThat(client.isActive()).isFalse();
    assertThat(drain(upstream)).as("the client's Close is not passed on: the upstream had ours").isEmpty();
  }

  @Test
  void aTunnelAtRestClosesAtOnceAndOneSplicedWhileGoingAwayToo() {
    Tunnel.splice(client, upstream, true);
    assertClose(drain(upstream), true);
    assertClose(drain(client), false);
  }

  @Test
  void framesAreFollowedAcrossEveryHeaderForm() {
    WebSocketFrames frames = new WebSocketFrames();
    byte[] stream = concat(frame(0x2, new byte[125], null), frame(0x2, new byte[126], new byte[4]),
        frame(0x2, new byte[70_000], null), frame(0x9, new byte[0], null), frame(0x8, new byte[2], new byte[4]));
    for (int i = 0; i < stream.length; i++) { // one byte at a time: every header split everywhere
      assertThat(frames.follow(Unpooled.wrappedBuffer(stream, i, 1), false)).isEqualTo(1);
    }
    assertThat(frames.atBoundary()).isTrue();
    assertThat(frames.closeSeen()).isTrue();
    WebSocketFrames partial = new WebSocketFrames();
    ByteBuf twoFrames = Unpooled.wrappedBuffer(concat(frame(0x1, new byte[3], null), frame(0x1, new byte[3], null)));
    assertThat(partial.follow(twoFrames, true)).isZero();
    partial.follow(twoFrames.slice(0, 1), false);
    assertThat(partial.follow(twoFrames.slice(1, 9), true)).as("up to the end of the first frame").isEqualTo(4);
  }

  private static void assertClose(byte[] frame, boolean masked) {
    assertThat(frame[0] & 0xFF).as("FIN and opcode Close").isEqualTo(0x88);
    assertThat((frame[1] & 0x80) != 0).as("masked").isEqualTo(masked);
    int length = frame[1] & 0x7F;
    int at = masked ? 6 : 2;
    assertThat(frame).hasSize(at + length);
    byte[] payload = slice(frame, at, frame.length);
    for (int i = 0; masked && i < payload.length; i++) {
      payload[i] ^= frame[2 + (i & 3)];
    }
    assertThat((payload[0] & 0xFF) << 8 | (payload[1] & 0xFF)).isEqualTo(Tunnel.GOING_AWAY);
  }

  /** A whole frame (FIN), masked when {@code mask} is given. */
  private static byte[] frame(int opcode, byte[] payload, byte[] mask) {
    ByteBuf out = Unpooled.buffer();
    out.writeByte(0x80 | opcode);
    int maskBit = mask == null ? 0 : 0x80;
    if (payload.length < 126) {
      out.writeByte(maskBit | payload.length);
    } else if (payload.length < 65_536) {
      out.writeByte(maskBit | 126).writeShort(payload.length);
    } else {
      out.writeByte(maskBit | 127).writeLong(payload.length);
    }
    if (mask != null) {
      out.writeBytes(mask);
      for (int i = 0; i < payload.length; i++) {
        out.writeByte(payload[i] ^ mask[i & 3]);
      }
    } else {
      out.writeBytes(payload);
    }
    return ByteBufUtil.getBytes(out);
  }

  /** Everything written to {@code channel} so far. */
  private static byte[] drain(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    ByteBuf part;
    while ((part = channel.readOutbound()) != null) {
      all.writeBytes(part);
      part.release();
    }
    return ByteBufUtil.getBytes(all);
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return java.util.Arrays.copyOfRange(bytes, from, to);
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuf all = Unpooled.buffer();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return ByteBufUtil.getBytes(all);
  }
}
