package io.gatehouse.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request's body as it arrives, for its {@link Exchange}: held (up to a high-water mark, then
 * the client stops being read) until a stage hands it a {@link BodySink}, bounded by
 * {@code max_body_bytes} (413) and by the body deadline (408), with {@code 100 Continue} sent only
 * once a stage asks for the body. Confined to the exchange's event loop.
 */
final class InboundBody {

  /** Body bytes held for a stage that has not asked for them yet; past this the client stops being read. */
  private static final int PENDING_HIGH_WATER = 64 * 1024;

  private final Channel channel;
  private final ExchangeHandler owner;
  private final long maxBytes;
  private final boolean expected;
  /** Answers a body that failed before any sink took it (the exchange's problem response). */
  private final Consumer<Problem> refuse;

  private boolean expectContinue;
  private ArrayDeque<HttpContent> pending;
  private LastHttpContent pendingLast;
  private int pendingBytes;
  private long receivedBytes;
  private boolean complete;
  private boolean refused;
  private boolean ended;
  private BodySink sink;
  private ScheduledFuture<?> timer;
  private Future<byte[]> whole;

  /** @param expected whether the head announces a body; without one the request is complete with its head */
  InboundBody(Channel channel, ExchangeHandler owner, long maxBytes, boolean expected, Consumer<Problem> refuse) {
    this.channel = channel;
    this.owner = owner;
    this.maxBytes = maxBytes;
    this.expected = expected;
    this.complete = !expected;
    this.refuse = refuse;
  }

  boolean expected() {
    return expected;
  }

  boolean complete() {
    return complete;
  }

  void expectContinue() {
    this.expectContinue = true;
  }

  /** See {@link Exchange#receiveBody}. */
  void receive(BodySink target) {
    if (ended) {
      return;
    }
    if (expectContinue && !complete) {
      expectContinue = false;
      channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
    sink = target;
    if (pending != null) {
      HttpContent content;
      while (sink == target && (content = pending.poll()) != null) {
        target.content(content);
      }
    }
    pendingBytes = 0;
    if (sink == target && pendingLast != null) {
      LastHttpContent last = pendingLast;
      pendingLast = null;
      target.end(last);
    }
    owner.bodyPaused(false);
  }

  /** See {@link Exchange#wholeBody}. */
  Future<byte[]> whole(int maxBytes) {
    if (whole == null) {
      WholeBody gathering = new WholeBody(maxBytes);
      whole = gathering.future();
      receive(gathering);
    }
    return whole;
  }

  /** The body {@link #whole} gathered, or null. */
  byte[] gathered() {
    return whole != null && whole.succeeded() ? whole.result() : null;
  }

  /** A body is coming, and must be complete within {@code timeoutMillis}. */
  void deadline(long timeoutMillis) {
    if (!complete && timer == null) {
      timer = channel.eventLoop().schedule(() -> failed(Problem.REQUEST_TIMEOUT), timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** A part of the body arrived. */
  void content(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      // A malformed chunk (a size that does not fit, a bad line): the body, and whatever the
      // connection carries after it, cannot be trusted.
      content.release();
      complete = false;
      failed(Problem.BAD_REQUEST);
      return;
    }
    int bytes = content.content().readableBytes();
    receivedBytes += bytes;
    boolean last = content instanceof LastHttpContent;
    if (last) {
      complete = true;
      cancelTimer();
    }
    if (ended || refused) {
      content.release();
      return;
    }
    if (receivedBytes > maxBytes) {
      content.release();
      failed(Problem.PAYLOAD_TOO_LARGE);
      return;
    }
    if (sink != null) {
      if (last) {
        sink.end((LastHttpContent) content);
      } else {
        sink.content(content);
      }
      return;
    }
    if (last) {
      pendingLast = (LastHttpContent) content;
      return;
    }
    if (pending == null) {
      pending = new ArrayDeque<>(4);
    }
    pending.add(content);
    pendingBytes += bytes;
    if (pendingBytes > PENDING_HIGH_WATER) {
      owner.bodyPaused(true);
    }
  }

  void readComplete() {
    if (sink != null) {
      sink.readComplete();
    }
  }

  /** The exchange answers before the body is all in: the rest is not wanted. */
  void unwanted() {
    refused = true;
    releasePending();
  }

  /** The exchange is over: nothing more is handed on. */
  void ended() {
    ended = true;
    cancelTimer();
    sink = null;
  }

  /**
   * The exchange is abandoned (reset, or its client gone): what is held is released and a sink
   * still waiting is told the body will not complete.
   *
   * @param evenIfComplete tell the sink even when the whole body had arrived
   */
  void abandoned(boolean evenIfComplete) {
    ended = true;
    cancelTimer();
    releasePending();
    BodySink target = sink;
    sink = null;
    if (target != null && (evenIfComplete || !complete)) {
      target.failed(null);
    }
  }

  private void failed(Problem problem) {
    if (ended || complete && problem == Problem.REQUEST_TIMEOUT) {
      return;
    }
    refused = true;
    releasePending();
    BodySink target = sink;
    sink = null;
    if (target != null) {
      target.failed(problem);
    } else {
      refuse.accept(problem);
    }
  }

  private void releasePending() {
    if (pending != null) {
      HttpContent content;
      while ((content = pending.poll()) != null) {
        content.release();
      }
    }
    if (pendingLast != null) {
      ReferenceCountUtil.release(pendingLast);
      pendingLast = null;
    }
    pendingBytes = 0;
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
