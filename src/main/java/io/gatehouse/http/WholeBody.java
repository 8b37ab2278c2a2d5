package io.gatehouse.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Arrays;

/**
 * Gathers a request body into one array, up to a limit: the small bodies of built-in endpoints
 * (and of the guard's authenticators that read them, such as OAuth client authentication). The
 * future fails with 413 past the limit, with 408 or 400 when the body stops arriving or is
 * malformed, and when the client goes away. Confined to the exchange's event loop.
 */
final class WholeBody implements BodySink {

  private static final byte[] NO_BODY = new byte[0];
  /** The failure of a body whose client went away: nobody is left to answer. */
  private static final ProblemException CLIENT_GONE = new ProblemException(Problem.BAD_REQUEST);

  private final int max;
  private final Promise<byte[]> gathered = Promise.promise();
  private byte[] bytes = NO_BODY;
  private int length;
  private boolean done;

  WholeBody(int maxBytes) {
    this.max = maxBytes;
  }

  Future<byte[]> future() {
    return gathered.future();
  }

  @Override
  public void content(HttpContent content) {
    append(content.content());
    content.release();
  }

  @Override
  public void end(LastHttpContent last) {
    append(last.content());
    last.release();
    if (!done) {
      done = true;
      gathered.complete(length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
    }
  }

  private void append(ByteBuf chunk) {
    int n = chunk.readableBytes();
    if (done || n == 0) {
      return;
    }
    if (length + n > max) {
      failed(Problem.PAYLOAD_TOO_LARGE);
      return;
    }
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.min(max, Math.max(length + n, bytes.length * 2 + 256)));
    }
    chunk.getBytes(chunk.readerIndex(), bytes, length, n);
    length += n;
  }

  @Override
  public void failed(Problem problem) {
    if (!done) {
      done = true;
      gathered.fail(problem == null ? CLIENT_GONE : new ProblemException(problem));
    }
  }
}
