package io.gatehouse.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response, as it passes the {@link Pipeline}: what the stages learned
 * (request id, client address, normalised path, route, principal, timings), the request body (as
 * it arrives, held by its {@link InboundBody}), and the one way to answer. Confined to the event loop of its channel (an HTTP/1.1
 * connection or an HTTP/2 stream); not thread-safe, never shared.
 *
 * <p>Answers go through {@link #respond(Response)} (whole responses: endpoints, fixed responses,
 * problems) or {@link #writeHead}/{@link #writeContent}/{@link #writeLast} (streamed: the proxy).
 * Either way the head gets the headers every response carries, the framing the client's protocol
 * needs, and {@code Connection: close} when the connection cannot carry another request; when the
 * last byte is written the access log and metrics are told.
 */
public final class Exchange {

  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
  /** Logged when the client goes away before the response is complete (nginx's "client closed request"). */
  static final int CLIENT_CLOSED = 499;
  private static final HttpHeadersFactory OWN_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  private static final HttpHeadersFactory OWN_TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

  private final Channel channel;
  private final Connection connection;
  private final ExchangeHandler owner;
  private final Pipeline pipeline;
  private final HttpRequest head;
  private final HttpVersion version;
  private final long startNanos;
  private final boolean wellFormed;

  private String requestId;
  private boolean requestIdIsTraceId;
  private TraceContext trace;
  /** The server span while tracing export is on, else null; its context only while it is recorded. */
  private Span span;
  private Context spanContext;
  private String clientAddress;
  private RateLimitHeaders rateLimit;
  private String host;
  private String path;
  private RouteMatch<Route> match;
  private Principal principal;
  private long upstreamNanos = -1;
  private Cors cors;
  private String corsOrigin;
  private final InboundBody body;

  private int status;
  private long bytesWritten;
  private boolean headWritten;
  private boolean finished;
  private boolean closeAfter;
  private Runnable writabilityListener;

  /**
   * @param bodyExpected whether the head announces a body (a {@code Content-Length} above 0, or
   *     chunked); without one the request is complete with its head
   */
  Exchange(Channel channel, Connection connection, ExchangeHandler owner, Pipeline pipeline, HttpRequest head,
      boolean wellFormed, boolean bodyExpected) {
    this.channel = channel;
    this.connection = connection;
    this.owner = owner;
    this.pipeline = pipeline;
    this.head = head;
    this.version = head.protocolVersion();
    this.wellFormed = wellFormed;
    this.startNanos = System.nanoTime();
    this.clientAddress = connection.peerAddress();
    // RFC 9112 §9.3: HTTP/1.1 stays open unless "close" is listed; HTTP/1.0 closes unless "keep-alive" is.
    this.closeAfter = !connection.http2() && !HttpUtil.isKeepAlive(head);
    this.body = new InboundBody(channel, owner, pipeline.maxBodyBytes(), bodyExpected, this::respond);
  }

  // ---------------------------------------------------------------- what the request is

  /** The request head as decoded. Its headers are edited in place on the way upstream, never copied. */
  public HttpRequest head() {
    return head;
  }

  public HttpMethod method() {
    return head.method();
  }

  /** The first value of a request header, or null. */
  public String header(CharSequence name) {
    return head.headers().get(name);
  }

  public HttpHeaders headers() {
    return head.headers();
  }

  /** The value of the first cookie called {@code name}, or null (RFC 6265 syntax; malformed pairs are skipped). */
  public String cookie(String name) {
    List<String> lines = head.headers().getAll(HttpHeaderNames.COOKIE);
    for (String line : lines) {
      if (line.contains(name)) {
        for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(line)) {
          if (cookie.name().equals(name)) {
            return cookie.value();
          }
        }
      }
    }
    return null;
  }

  /** False when the HTTP decoder could not parse the request; the exchange then only carries an error. */
  public boolean wellFormed() {
    return wellFormed;
  }

  public Connection connection() {
    return connection;
  }

  public boolean https() {
    return connection.https();
  }

  /**
   * The HTTP version the client spoke: HTTP/1.0, HTTP/1.1, or HTTP/1.1 for a request that came
   * over HTTP/2. (The head itself becomes the upstream's HTTP/1.1 request when proxied.)
   */
  public HttpVersion version() {
    return version;
  }

  public long startNanos() {
    return startNanos;
  }

  /** The request id (the client's, when well-formed, else a generated one); set by the first stage. */
  public String requestId() {
    if (requestId == null) {
      requestId = RequestIds.generate();
      requestIdIsTraceId = true;
    }
    return requestId;
  }

  /** @param traceId whether {@code id} can serve as a W3C trace id (32 lower-case hex digits, not all zero) */
  void requestId(String id, boolean traceId) {
    this.requestId = id;
    this.requestIdIsTraceId = traceId;
  }

  /** Whether the request id can serve as the W3C trace id of a new {@code traceparent}. */
  public boolean requestIdIsTraceId() {
    return requestIdIsTraceId;
  }

  /**
   * Where the exchange stands in a W3C trace: decided by the first stage, else (a request refused
   * before it ran) a trace started here, under the request id when that can be a trace id.
   */
  public TraceContext trace() {
    if (trace == null) {
      String id = requestId();
      trace = TraceContext.started(requestIdIsTraceId ? id : RequestIds.generate());
    }
    return trace;
  }

  void trace(TraceContext decided) {
    this.trace = decided;
  }

  /** The exchange's server span ({@link ServerSpans}), or null when tracing export is off. */
  Span span() {
    return span;
  }

  /** The context the exchange's child spans hang from: null unless its server span is recorded. */
  Context spanContext() {
    return spanContext;
  }

  void span(Span started, Context context) {
    this.span = started;
    this.spanContext = context;
  }

  /** The client's address after {@link TrustedProxies}: what logs and upstreams are told. */
  public String clientAddress() {
    return clientAddress;
  }

  public void clientAddress(String address) {
    this.clientAddress = address;
  }

  /** The validated {@code Host} (authority), or null before the limits stage or when the request had none (HTTP/1.0). */
  public String host() {
    return host;
  }

  void host(String authority) {
    this.host = authority;
  }

  /** The normalised path, without query, or null until routing normalised it. */
  public String path() {
    return path;
  }

  public void path(String normalizedPath) {
    this.path = normalizedPath;
  }

  /** The raw query string after {@code ?}, or null. */
  public String rawQuery() {
    String uri = head.uri();
    int q = uri.indexOf('?');
    return q < 0 ? null : uri.substring(q + 1);
  }

  /** The raw path of the request line, before normalisation. */
  public String rawPath() {
    String uri = head.uri();
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The route chosen for the request, or null before routing or when none matched. */
  public Route route() {
    return match == null ? null : match.route();
  }

  public RouteMatch<Route> match() {
    return match;
  }

  public void match(RouteMatch<Route> chosen) {
    this.match = chosen;
  }

  /** Who the guard admitted; null before the guard and on open routes. */
  public Principal principal() {
    return principal;
  }

  public void principal(Principal admitted) {
    this.principal = admitted;
  }

  /** The rate-limit fields for the response, or null when no limit applies. */
  public RateLimitHeaders rateLimit() {
    return rateLimit;
  }

  public void rateLimit(RateLimitHeaders decided) {
    this.rateLimit = decided;
  }

  /** Nanoseconds from sending upstream to the upstream's response head, or -1 when nothing was proxied. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  public void upstreamNanos(long nanos) {
    this.upstreamNanos = nanos;
  }

  void cors(Cors policy, String allowedOrigin) {
    this.cors = policy;
    this.corsOrigin = allowedOrigin;
  }

  void expectContinue() {
    body.expectContinue();
  }

  // ---------------------------------------------------------------- the request body

  /**
   * Hands the body to {@code sink}: what already arrived first, the rest as it comes. Sends
   * {@code 100 Continue} first when the client waits for it, so a body is only invited once a
   * stage has decided to read it.
   */
  public void receiveBody(BodySink target) {
    body.receive(target);
  }

  /**
   * The body gathered whole, once: the first call starts gathering up to {@code maxBytes} (the
   * future fails with a 413 problem past it); every later call gets the same future, so a stage
   * before the guard and the endpoint after it read one body.
   */
  public Future<byte[]> wholeBody(int maxBytes) {
    return body.whole(maxBytes);
  }

  /** The body {@link #wholeBody} gathered, or null when it was not asked for or has not all arrived. */
  public byte[] gatheredBody() {
    return body.gathered();
  }

  /** Whether the request announced a body (a length above 0, or chunks). */
  public boolean hasBody() {
    return body.expected();
  }

  /**
   * An RFC 6455 §4.1 opening handshake: HTTP/1.1 GET with {@code Upgrade: websocket} and
   * {@code Connection: upgrade}. (HTTP/2 has no Upgrade; its extended CONNECT is not offered.)
   */
  public boolean isWebSocketUpgrade() {
    if (connection.http2() || head.method() != HttpMethod.GET) {
      return false;
    }
    HttpHeaders headers = head.headers();
    return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  /** Whether the whole request body has arrived. */
  public boolean requestComplete() {
    return body.complete();
  }

  /** Stops reading from the client (back-pressure from where the body goes). */
  public void pauseInbound() {
    owner.bodyPaused(true);
  }

  public void resumeInbound() {
    owner.bodyPaused(false);
  }

  /** From the limits stage: a body is coming, and must be complete within {@code timeoutMillis}. */
  void expectBody(long timeoutMillis) {
    body.deadline(timeoutMillis);
  }

  /** From {@link ExchangeHandler}: a part of this request's body arrived. */
  void requestContent(HttpContent content) {
    body.content(content);
  }

  void readComplete() {
    body.readComplete();
  }

  // ---------------------------------------------------------------- the response

  /** Answers with a whole response. Ignored once the exchange is finished (a late answer after a failure). */
  public void respond(Response response) {
    if (finished) {
      return;
    }
    if (headWritten) {
      abort();
      return;
    }
    byte[] bytes = response.bodyBytes();
    HttpResponseStatus responseStatus = HttpResponseStatus.valueOf(response.status());
    boolean bodyless = head.method() == HttpMethod.HEAD || response.status() < 200 || response.status() == 204
        || response.status() == 304;
    // Every header of a response built here comes from code or validated config (an echoed Origin
    // only when it is on the allow-list), so Netty need not validate each name and value again.
    FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, responseStatus,
        bodyless ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes), OWN_HEADERS, OWN_TRAILERS);
    HttpHeaders headers = full.headers();
    List<String> pairs = response.headers();
    for (int i = 0; i < pairs.size(); i += 2) {
      headers.add(pairs.get(i), pairs.get(i + 1));
    }
    if (response.status() >= 200 && response.status() != 204 && response.status() != 304) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    }
    if (!body.complete()) {
      // The rest of the body is not wanted; reading it to find the next request is not worth it.
      closeAfter = true;
      body.unwanted();
    }
    prepareHead(full);
    bytesWritten += full.content().readableBytes();
    headWritten = true;
    writeLastAndFinish(full);
  }

  /**
   * Answers with {@code problem}: in the route's own format where it has one (RFC 6749 JSON at
   * the OAuth endpoints), else as RFC 9457 problem+json.
   */
  public void respond(Problem problem) {
    respond(problem, null, null);
  }

  /** Answers with {@code problem} and one more header (when {@code header} is not null), such as {@code Allow} on a 405. */
  public void respond(Problem problem, CharSequence header, String value) {
    if (problem.closesConnection()) {
      closeAfter = true;
    }
    Route route = route();
    Response own = route == null || route.problems() == null ? null
        : route.problems().render(problem, new Request(this, gatheredBody()));
    if (own != null) {
      respond(header == null ? own : own.with(header, value));
    } else if (header == null) {
      respond(pipeline.problems().response(problem, requestId(), trace().traceId()));
    } else {
      respond(pipeline.problems().builder(problem, requestId(), trace().traceId()).header(header, value)
          .build());
    }
  }

  /**
   * Answers a failed stage: a {@link ProblemException} with its problem, anything else (a bug)
   * with a 500 whose cause is logged with the request id but never sent.
   */
  public void fail(Throwable failure) {
    if (finished) {
      return;
    }
    ProblemException mapped = failure instanceof ProblemException ? null : pipeline.mapped(failure);
    if (mapped != null) {
      failure = mapped;
    }
    if (failure instanceof ProblemException problem) {
      if (headWritten) {
        abort();
      } else if (problem.retryAfter() != null) {
        respond(problem.problem(), HttpHeaderNames.RETRY_AFTER, problem.retryAfter());
      } else {
        respond(problem.problem());
      }
      return;
    }
    LOG.error("unhandled failure, request_id={}", requestId(), failure);
    if (headWritten) {
      abort();
    } else {
      respond(Problem.INTERNAL);
    }
  }

  /**
   * Starts a streamed response. The head's headers are the upstream's, already scrubbed by the
   * proxy; framing is adapted here: a body without a length is chunked to an HTTP/1.1 client and
   * delimited by closing the connection to an HTTP/1.0 one, never buffered.
   */
  public void writeHead(HttpResponse response) {
    if (finished || headWritten) {
      return;
    }
    int code = response.status().code();
    boolean bodyless = head.method() == HttpMethod.HEAD || code < 200 || code == 204 || code == 304;
    HttpHeaders headers = response.headers();
    if (!bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH) && !connection.http2()) {
      if (version == HttpVersion.HTTP_1_0) {
        closeAfter = true; // RFC 9112 §6.3: close-delimited, since an HTTP/1.0 client cannot read chunks
      } else {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }
    prepareHead(response);
    headWritten = true;
    channel.write(response, channel.voidPromise());
  }

  /**
   * A whole streamed response at once, when the upstream's arrived in one read: one message to
   * encode and one write. Without a length and without trailers its length is now known, so it
   * is sent with {@code Content-Length} rather than chunked (or close-delimited to HTTP/1.0).
   */
  public void writeWhole(HttpResponse head, LastHttpContent last) {
    if (finished || headWritten) {
      last.release();
      return;
    }
    int code = head.status().code();
    boolean bodyless = this.head.method() == HttpMethod.HEAD || code < 200 || code == 204 || code == 304;
    HttpHeaders headers = head.headers();
    if (!bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      if (last.trailingHeaders().isEmpty()) {
        headers.set(HttpHeaderNames.CONTENT_LENGTH, last.content().readableBytes());
      } else {
        writeHead(head);
        writeLast(last);
        return;
      }
    }
    FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), last.content(), headers,
        last.trailingHeaders());
    prepareHead(full);
    headWritten = true;
    bytesWritten += full.content().readableBytes();
    writeLastAndFinish(full);
  }

  /** Switching protocols (101): the head goes out, and the connection is handed over by the caller. */
  public void writeUpgrade(HttpResponse response) {
    prepareHead(response);
    headWritten = true;
    finished = true;
    body.ended();
    channel.writeAndFlush(response);
    pipeline.completed(this);
  }

  public void writeContent(HttpContent content) {
    if (finished) {
      content.release();
      return;
    }
    bytesWritten += content.content().readableBytes();
    channel.write(content, channel.voidPromise());
  }

  public void writeLast(LastHttpContent last) {
    if (finished) {
      last.release();
      return;
    }
    bytesWritten += last.content().readableBytes();
    writeLastAndFinish(last);
  }

  /** Whether the client can take more without queueing in memory. */
  public boolean isWritable() {
    return channel.isWritable();
  }

  /** Called (on the event loop) whenever the client's writability changes; null to stop. */
  public void onWritabilityChanged(Runnable listener) {
    this.writabilityListener = listener;
  }

  public void flush() {
    channel.flush();
  }

  public boolean isHeadWritten() {
    return headWritten;
  }

  public boolean isFinished() {
    return finished;
  }

  /** The channel the response goes to (an HTTP/1.1 connection or an HTTP/2 stream). */
  public Channel channel() {
    return channel;
  }

  /**
   * Abandons a response whose head is already out: the connection (or HTTP/2 stream) is reset,
   * so a truncated body can never look complete.
   */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    body.abandoned(false);
    channel.close();
    pipeline.completed(this);
  }

  /** From {@link ExchangeHandler}: the client went away before the response was complete. */
  void connectionLost() {
    if (finished) {
      return;
    }
    finished = true;
    if (!headWritten) {
      status = CLIENT_CLOSED;
    }
    body.abandoned(true);
    Runnable listener = writabilityListener;
    writabilityListener = null;
    if (listener != null) {
      listener.run();
    }
    pipeline.completed(this);
  }

  void writabilityChanged() {
    if (writabilityListener != null) {
      writabilityListener.run();
    }
  }

  /** The status sent (or 499 when the client left first); 0 before a head was written. */
  public int status() {
    return status;
  }

  /** Body bytes written to the client. */
  public long bytesWritten() {
    return bytesWritten;
  }

  boolean closesConnection() {
    return closeAfter;
  }

  /**
   * From {@link ExchangeHandler}: the listener is going away, so the connection closes once this
   * response is written, with {@code Connection: close} in it unless its head is already out. A
   * WebSocket handshake under way is left to finish: the tunnel it becomes ends with a Close.
   */
  void goingAway() {
    if (!connection.http2() && !(isWebSocketUpgrade() && !headWritten)) {
      closeAfter = true;
    }
  }

  private void prepareHead(HttpResponse response) {
    status = response.status().code();
    HttpHeaders headers = response.headers();
    pipeline.securityHeaders().apply(headers, requestId(), connection.https(), startNanos);
    if (cors != null) {
      cors.applyTo(headers, corsOrigin);
    }
    if (rateLimit != null) {
      rateLimit.addTo(headers);
    }
    if (connection.http2()) {
      return;
    }
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    // RFC 9110 §9.6: a server that will close the connection after this response says so in it.
    // A 101 hands the connection to the WebSocket tunnel, which ends it with its own Close.
    if (connection.goingAway() && status != 101) {
      closeAfter = true;
    }
    if (closeAfter) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (version == HttpVersion.HTTP_1_0) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  private void writeLastAndFinish(HttpContent last) {
    finished = true;
    body.ended();
    writabilityListener = null;
    boolean requestComplete = body.complete();
    if (closeAfter || !requestComplete) {
      // HTTP/1.1: the connection cannot carry another request. HTTP/2: closing the stream resets
      // it if the client is still sending (RFC 9113 §8.1 lets a server answer early).
      closeAfter = true;
      // After an unread body or an unparsable request the client may still be sending.
      boolean unread = !requestComplete || !wellFormed;
      channel.writeAndFlush(last).addListener(written -> owner.close(unread));
    } else {
      channel.writeAndFlush(last, channel.voidPromise());
    }
    pipeline.completed(this);
    owner.exchangeEnded(this);
  }
}
