package io.gatehouse.gateway;

import io.netty.buffer.ByteBuf;

/**
 * Follows the frame boundaries of one direction of a WebSocket connection (RFC 6455 §5.2) without
 * copying or changing a byte: it reads each frame's header (at most 14 bytes) and skips its
 * payload by its length, so that a frame of our own can be put between two frames, and a Close
 * frame (opcode 0x8) is noticed. Confined to one event loop.
 */
final class WebSocketFrames {

  private static final int CLOSE = 0x8;

  private final byte[] header = new byte[14];
  private int headerBytes;
  private long payloadLeft;
  private boolean closeSeen;

  /** Whether the bytes followed so far end exactly between two frames. */
  boolean atBoundary() {
    return headerBytes == 0 && payloadLeft == 0;
  }

  /** Whether a Close frame's header has gone by. */
  boolean closeSeen() {
    return closeSeen;
  }

  /**
   * Follows the readable bytes of {@code bytes}, leaving its indexes as they are.
   *
   * @param toBoundary stop at the first frame boundary reached (at once, when already at one)
   * @return how many bytes were followed: all of them, or those up to the boundary
   */
  int follow(ByteBuf bytes, boolean toBoundary) {
    int start = bytes.readerIndex();
    int end = bytes.writerIndex();
    int index = start;
    while (index < end && !(toBoundary && atBoundary())) {
      if (payloadLeft > 0) {
        int skipped = (int) Math.min(payloadLeft, end - index);
        index += skipped;
        payloadLeft -= skipped;
        continue;
      }
      header[headerBytes++] = bytes.getByte(index++);
      if (headerBytes >= 2 && headerBytes == headerLength()) {
        closeSeen |= (header[0] & 0x0F) == CLOSE;
        payloadLeft = payloadLength();
        headerBytes = 0;
      }
    }
    return index - start;
  }

  /** The header's length, known from its first two bytes: 2, plus 2 or 8 for the length, plus 4 for a mask. */
  private int headerLength() {
    int length = header[1] & 0x7F;
    int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    int mask = (header[1] & 0x80) != 0 ? 4 : 0;
    return 2 + extended + mask;
  }

  private long payloadLength() {
    int length = header[1] & 0x7F;
    if (length < 126) {
      return length;
    }
    if (length == 126) {
      return (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
    }
    long value = 0;
    for (int i = 2; i < 10; i++) {
      value = value << 8 | (header[i] & 0xFF);
    }
    // §5.2: the most significant bit MUST be 0; a peer that sets it has broken the framing anyway.
    return value < 0 ? Long.MAX_VALUE : value;
  }
}
