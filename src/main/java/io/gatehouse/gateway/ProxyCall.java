package io.gatehouse.gateway;

import io.gatehouse.http.BodySink;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Problem;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;

/**
 * One request forwarded to an upstream and its response streamed back, both ways under
 * back-pressure: while the receiving side cannot take more, the sending side is not read. The
 * request head is the client's, edited in place; bodies pass as Netty buffers, never copied or
 * gathered. A pooled connection the upstream closed before answering a request without a body is
 * retried once on a fresh one.
 *
 * <p>The call reports to the route's upstream protection: the target's circuit breaker gets one
 * verdict (a failure for a refused, reset or timed-out connection or request and for a 502, 503 or
 * 504 response head; a success for any other head, a 101 included), and the call's place among
 * {@code max_in_flight}, when it holds one, is given back exactly once when the call ends, however
 * it ends: before the last response bytes are written, so a client that got its answer never
 * finds its place still taken. Its client span, when recorded, ends with it: with the upstream's
 * status (an error from 400 up), or with the failure's kind ({@code connect}, {@code reset}, {@code timeout},
 * {@code protocol}) as {@code error.type}. Confined to the exchange's event loop (the upstream
 * connection lives on the same one).
 */
final class ProxyCall implements BodySink, UpstreamPool.Acquirer {

  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final UpstreamProxy proxy;
  private final Exchange exchange;
  private final UpstreamPool pool;
  private final HttpRequest upstreamHead;
  private final boolean websocket;
  private final long timeoutNanos;
  private final CircuitBreaker breaker;

  /** The call's client span until it ends, or null when the exchange's span is not recorded. */
  private Span span;
  /** The breaker phase the call was admitted in, until the target's verdict on it is reported. */
  private CircuitBreaker.Phase admitted;
  /** Whether the call holds a place among the route's {@code max_in_flight}. */
  private boolean inFlight;
  private UpstreamConnection connection;
  private boolean reused;
  private boolean retried;
  private boolean requestSent;
  private boolean bodySent;
  private boolean responseStarted;
  private boolean responseComplete;
  private boolean skipInterimEnd;
  private boolean keepAlive = true;
  private boolean clientPaused;
  private boolean done;
  private HttpResponse pendingHead;
  private long sentNanos;
  private long lastActivity;

  /**
   * @param inFlight whether the call took a place among {@code max_in_flight}
   * @param breaker the target's breaker, or null when the route has none
   * @param admitted the phase {@code breaker} admitted the call in
   * @param span the call's client span, or null
   */
  ProxyCall(UpstreamProxy proxy, Exchange exchange, UpstreamPool pool, HttpRequest upstreamHead, boolean websocket,
      long timeoutMillis, boolean inFlight, CircuitBreaker breaker, CircuitBreaker.Phase admitted, Span span) {
    this.proxy = proxy;
    this.exchange = exchange;
    this.pool = pool;
    this.upstreamHead = upstreamHead;
    this.websocket = websocket;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.inFlight = inFlight;
    this.breaker = breaker;
    this.admitted = admitted;
    this.span = span;
  }

  void start() {
    // Listening from the start: a client that leaves while a connection is sought ends the call at once.
    exchange.onWritabilityChanged(this::clientWritabilityChanged);
    pool.acquire(this);
  }

  // ---------------------------------------------------------------- connection

  @Override
  public void acquired(UpstreamConnection acquired, boolean wasReused) {
    if (done || exchange.isFinished()) {
      acquired.release(true); // the client left, or its body timed out, while a connection was found
      if (!done) {
        ended();
      }
      return;
    }
    connection = acquired;
    reused = wasReused;
    sentNanos = System.nanoTime();
    lastActivity = sentNanos;
    connection.attach(this, timeoutNanos);
    Channel upstream = connection.channel();
    if (upstreamHead instanceof FullHttpRequest) {
      // No body: the whole request in one write; the client's empty end is dropped in end().
      requestSent = true;
      upstream.writeAndFlush(upstreamHead, upstream.voidPromise());
      if (!retried) {
        exchange.receiveBody(this);
      }
      return;
    }
    // With a body, the head goes out with the first part of it: a body that turns out malformed
    // before any of it arrived (a bad chunk size) then never lets the upstream see the request.
    upstream.write(upstreamHead, upstream.voidPromise());
    exchange.receiveBody(this);
    if (!done && connection != null && bodySent) {
      connection.channel().flush();
    }
  }

  @Override
  public void acquireFailed(Throwable cause) {
    if (done) {
      return;
    }
    boolean timedOut = cause instanceof ConnectTimeoutException;
    fail(timedOut ? Problem.GATEWAY_TIMEOUT : Problem.BAD_GATEWAY,
        timedOut ? "timeout" : cause instanceof ConnectException ? "connect" : "reset");
  }

  // ---------------------------------------------------------------- request body, client -> upstream

  @Override
  public void content(HttpContent content) {
    if (done) {
      content.release();
      return;
    }
    bodySent = true;
    Channel upstream = connection.channel();
    upstream.write(content, upstream.voidPromise());
    if (!upstream.isWritable()) {
      exchange.pauseInbound();
    }
  }

  @Override
  public void end(LastHttpContent last) {
    if (done || upstreamHead instanceof FullHttpRequest) {
      last.release();
      return;
    }
    requestSent = true;
    lastActivity = System.nanoTime();
    Channel upstream = connection.channel();
    if (!last.trailingHeaders().isEmpty()) {
      // Trailers are headers the client adds after the body, where the header rules of the head
      // (identity, forwarding and credential headers removed) would not see them: they are dropped.
      last.trailingHeaders().clear();
    }
    upstream.writeAndFlush(last, upstream.voidPromise());
  }

  @Override
  public void readComplete() {
    if (connection != null && !done && bodySent) {
      lastActivity = System.nanoTime();
      connection.channel().flush();
    }
  }

  @Override
  public void failed(Problem problem) {
    if (done) {
      return;
    }
    // The client's body failed (too large, too slow) or the client left: the upstream request is
    // cut off, so its connection cannot be reused.
    ended();
    closeConnection();
    if (problem != null) {
      exchange.respond(problem);
    }
  }

  void upstreamWritabilityChanged() {
    if (connection.channel().isWritable()) {
      exchange.resumeInbound();
    }
  }

  // ---------------------------------------------------------------- response, upstream -> client

  void upstreamRead(Object msg) {
    if (done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse response) {
      responseHead(response);
    } else if (msg instanceof HttpContent content) {
      responseContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void responseHead(HttpResponse response) {
    if (!response.decoderResult().isSuccess()) {
      fail(Problem.BAD_GATEWAY, "protocol");
      return;
    }
    int status = response.status().code();
    if (span != null && (status >= 200 || status == 101)) {
      span.setAttribute(STATUS, (long) status);
      if (status >= 400) {
        span.setStatus(StatusCode.ERROR); // a client span's 4xx is an error too (HTTP semantic conventions)
      }
    }
    if (status == 101 && websocket) {
      judged(false);
      upgrade(response);
      return;
    }
    if (status >= 100 && status < 200) {
      // 100 Continue and 103 Early Hints: Gatehouse answered Expect itself; hints are not relayed.
      skipInterimEnd = true;
      return;
    }
    // The upstream's own "cannot serve now" answers count against it; any other answer shows it up.
    judged(status == 502 || status == 503 || status == 504);
    responseStarted = true;
    keepAlive = HttpUtil.isKeepAlive(response);
    lastActivity = System.nanoTime();
    exchange.upstreamNanos(lastActivity - sentNanos);
    proxy.headers().fromUpstream(response, false);
    // Held until the rest of this read: a small response arrives whole and goes out as one write.
    pendingHead = response;
  }

  private void responseContent(HttpContent content) {
    if (skipInterimEnd && content instanceof LastHttpContent) {
      skipInterimEnd = false;
      content.release();
      return;
    }
    if (!responseStarted) {
      content.release();
      return;
    }
    if (content instanceof LastHttpContent last) {
      responseComplete = true;
      leaveInFlight();
      if (pendingHead != null) {
        HttpResponse head = pendingHead;
        pendingHead = null;
        exchange.writeWhole(head, last);
      } else {
        exchange.writeLast(last);
      }
      if (requestSent) {
        finish();
      } else {
        // Answered before the request body was all sent: the rest will not follow (the client
        // connection closes), so this upstream connection is left mid-request and cannot be reused.
        ended();
        closeConnection();
      }
      return;
    }
    writePendingHead();
    exchange.writeContent(content);
    if (!exchange.isWritable() && !clientPaused) {
      clientPaused = true;
      connection.channel().config().setAutoRead(false);
    }
  }

  void upstreamReadComplete() {
    if (!done) {
      writePendingHead();
      lastActivity = System.nanoTime();
      exchange.flush();
    }
  }

  private void writePendingHead() {
    if (pendingHead != null) {
      HttpResponse head = pendingHead;
      pendingHead = null;
      exchange.writeHead(head);
    }
  }

  private void clientWritabilityChanged() {
    if (clientPaused && connection != null && (exchange.isWritable() || exchange.isFinished())) {
      clientPaused = false;
      connection.channel().config().setAutoRead(true);
    }
    if (exchange.isFinished() && !responseComplete && !done) {
      // The client went away: mid-response, while waiting for it, or before a connection was had.
      ended();
      closeConnection();
    }
  }

  void upstreamClosed() {
    connection = null;
    if (done) {
      return;
    }
    if (!responseStarted && reused && !retried && upstreamHead instanceof FullHttpRequest
        && isIdempotent(upstreamHead.method())) {
      // A keep-alive connection the upstream closed just before our request reached it.
      retried = true;
      pool.acquireNew(this);
      return;
    }
    if (responseStarted) {
      ended();
      pendingHead = null;
      proxy.metrics().upstreamError(proxy.routeId(), "reset");
      exchange.abort();
      return;
    }
    fail(Problem.BAD_GATEWAY, "reset");
  }

  private static boolean isIdempotent(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT || method == HttpMethod.DELETE;
  }

  // ---------------------------------------------------------------- WebSocket

  /** The exchange ends with the 101, and so does the call's place among {@code max_in_flight}: the tunnel is on its own. */
  private void upgrade(HttpResponse response) {
    ended();
    exchange.upstreamNanos(System.nanoTime() - sentNanos);
    proxy.headers().fromUpstream(response, true);
    UpstreamConnection upstream = connection;
    connection = null;
    upstream.detach();
    exchange.writeUpgrade(response);
    Tunnel.splice(exchange.channel(), upstream.channel(), exchange.connection().goingAway());
  }

  // ---------------------------------------------------------------- endings

  /** Both the request and the response are complete: the connection goes back to the pool. */
  private void finish() {
    if (done) {
      return;
    }
    ended();
    UpstreamConnection used = connection;
    connection = null;
    if (used != null) {
      used.release(keepAlive && !clientPaused);
    }
  }

  private void fail(Problem problem, String kind) {
    if (span != null) {
      span.setStatus(StatusCode.ERROR);
      span.setAttribute(ERROR_TYPE, kind);
    }
    judged(true);
    ended();
    pendingHead = null;
    closeConnection();
    proxy.metrics().upstreamError(proxy.routeId(), kind);
    if (exchange.isHeadWritten()) {
      exchange.abort();
    } else {
      exchange.respond(problem);
    }
  }

  /**
   * The call is over: its place among {@code max_in_flight} is given back, a probe without a
   * verdict too, and its span ends.
   */
  private void ended() {
    done = true;
    leaveInFlight();
    Span ending = span;
    if (ending != null) {
      span = null;
      ending.end();
    }
    CircuitBreaker.Phase unjudged = admitted;
    if (unjudged != null) {
      admitted = null;
      breaker.abandoned(unjudged);
    }
  }

  /** Gives the place among {@code max_in_flight} back, once; ahead of {@link #ended} when the response's last bytes go out. */
  private void leaveInFlight() {
    if (inFlight) {
      inFlight = false;
      proxy.leftInFlight();
    }
  }

  /** Reports the target's verdict on this call to its breaker; only the first counts. */
  private void judged(boolean failure) {
    CircuitBreaker.Phase phase = admitted;
    if (phase != null) {
      admitted = null;
      if (failure) {
        breaker.failed(phase);
      } else {
        breaker.succeeded(phase);
      }
    }
  }

  private void closeConnection() {
    UpstreamConnection used = connection;
    connection = null;
    if (used != null) {
      used.detachCall();
      used.close();
    }
  }

  /** When the upstream connection last showed life for this call (request sent, body written, response read). */
  long lastActivity() {
    return lastActivity;
  }

  /**
   * From the connection's watchdog: neither a response byte arrived nor a body byte was sent for
   * the route's {@code timeout}: 504 (or, with the response under way, a reset).
   */
  void timedOut() {
    if (!done && !responseComplete) {
      fail(Problem.GATEWAY_TIMEOUT, "timeout");
    }
  }
}
