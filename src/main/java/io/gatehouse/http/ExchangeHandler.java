package io.gatehouse.http;

import io.gatehouse.config.LimitsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the {@code HttpObject}s Netty's codecs decode on one HTTP/1.1 connection, or one HTTP/2
 * stream, into {@link Exchange}s and runs each through the {@link Pipeline}.
 *
 * <p>HTTP/1.1 answers in order: a request that arrives while the previous response is still
 * being written (pipelining) waits, and the connection stops reading while one does. A request
 * the decoder could not parse gets its 400, 414 or 431 through the same renderer and access log
 * as every other answer, and the connection is closed, since its bytes can no longer be trusted.
 * One instance per channel, confined to its event loop.
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);
  /** Pipelined messages held while a response is written; past this the connection stops reading. */
  private static final int MAX_WAITING = 16;
  /** How long a closing connection's late input is read and dropped before the socket is closed. */
  static final long LINGER_MILLIS = 2_000;
  /** Request lines longer than this get 414; header bytes are bounded separately by {@code max_header_bytes}. */
  static final int MAX_REQUEST_LINE = 8192;

  private final Supplier<Pipeline> pipelines;
  private final Connection connection;
  private final RequestHeadTimeout headTimeout;
  private Channel channel;
  private Exchange current;
  private Exchange receiving;
  private ArrayDeque<Object> waiting;
  private boolean draining;
  private boolean bodyPaused;
  private boolean queuePaused;
  private boolean closing;

  /**
   * Adds the HTTP/1.1 handlers of a connection after any TLS: the request-head clock, Netty's codec
   * bounded by {@code limits}, and the exchanges through the pipeline {@code pipelines} gives when
   * each request begins. The fuzz tests build the same chain on an in-memory channel.
   */
  public static void addHttp1(ChannelPipeline channel, Supplier<Pipeline> pipelines, LimitsConfig limits,
      Connection connection) {
    RequestHeadTimeout headTimeout = new RequestHeadTimeout(limits.requestTimeout().toMillis());
    channel
        .addLast("head-timeout", headTimeout)
        .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(limits.maxHeaderBytes())
            .setMaxChunkSize(64 * 1024)
            .setValidateHeaders(true)))
        .addLast("exchange", new ExchangeHandler(pipelines, connection, headTimeout));
  }

  /** The exchanges of one HTTP/2 stream, after Netty's frame-to-object codec. */
  public static ExchangeHandler http2Stream(Supplier<Pipeline> pipelines, Connection connection) {
    return new ExchangeHandler(pipelines, connection, null);
  }

  /**
   * @param pipelines the pipeline to run each request through, asked as the request begins: a
   *     reload swaps it, and a request in flight keeps the one it began with
   * @param headTimeout the HTTP/1.1 connection's request-head clock, or null on an HTTP/2 stream
   */
  ExchangeHandler(Supplier<Pipeline> pipelines, Connection connection, RequestHeadTimeout headTimeout) {
    this.pipelines = pipelines;
    this.connection = connection;
    this.headTimeout = headTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      // An answer said Connection: close; whatever the client sent after it is not read.
      Exchange target = receiving;
      if (target != null && msg instanceof HttpContent content) {
        if (content instanceof LastHttpContent) {
          receiving = null;
        }
        target.requestContent(content);
      } else {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (waiting != null && !waiting.isEmpty() || (current != null && msg instanceof HttpRequest)) {
      hold(msg);
      return;
    }
    dispatch(msg);
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest request) {
      begin(request);
    } else if (msg instanceof HttpContent content) {
      Exchange target = receiving;
      if (content instanceof LastHttpContent) {
        receiving = null;
      }
      if (target != null) {
        target.requestContent(content);
      } else {
        content.release();
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void begin(HttpRequest decoded) {
    HttpRequest head = decoded;
    LastHttpContent inlineBody = null;
    if (decoded instanceof FullHttpRequest full) {
      // HTTP/2 HEADERS with END_STREAM, or the decoder's stand-in for a malformed request: split
      // into a head and its (empty) body, so the head can be forwarded without its content.
      head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
      head.setDecoderResult(full.decoderResult());
      inlineBody = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
    }
    if (headTimeout != null) {
      headTimeout.headReceived();
    }
    DecoderResult result = head.decoderResult();
    boolean wellFormed = result.isSuccess();
    // On an HTTP/2 stream (no head clock) the request ends with END_STREAM, whatever its
    // Content-Length says: a stream left open after its head is a body still to come, and gets the
    // body's clock rather than staying half-open for as long as the client likes.
    boolean bodyExpected = wellFormed && inlineBody == null && (headTimeout == null || hasBody(head));
    Pipeline pipeline = pipelines.get();
    Exchange exchange = new Exchange(channel, connection, this, pipeline, head, wellFormed, bodyExpected);
    current = exchange;
    // The decoder follows every head with its body's contents and a last one, even an empty body.
    receiving = inlineBody == null ? exchange : null;
    if (!wellFormed) {
      receiving = null;
      if (inlineBody != null) {
        inlineBody.release();
      }
      exchange.respond(decodingProblem(result.cause()));
      return;
    }
    pipeline.handle(exchange);
    if (inlineBody != null) {
      exchange.requestContent(inlineBody);
    }
  }

  /** RFC 9112 §6.3: a request has a body only when it says so with Content-Length or Transfer-Encoding. */
  private static boolean hasBody(HttpRequest head) {
    if (head.headers().contains(io.netty.handler.codec.http.HttpHeaderNames.TRANSFER_ENCODING)) {
      return true;
    }
    return HttpUtil.getContentLength(head, 0L) > 0;
  }

  private static Problem decodingProblem(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return Problem.HEADERS_TOO_LARGE;
    }
    if (cause instanceof TooLongHttpLineException) {
      return Problem.URI_TOO_LONG;
    }
    if (cause instanceof TooLongFrameException) {
      return Problem.HEADERS_TOO_LARGE;
    }
    return Problem.BAD_REQUEST;
  }

  private void hold(Object msg) {
    if (waiting == null) {
      waiting = new ArrayDeque<>(4);
    }
    waiting.add(msg);
    if (waiting.size() >= MAX_WAITING && !queuePaused) {
      queuePaused = true;
      updateAutoRead();
    }
  }

  /** From {@link Exchange}: its response is written (or abandoned); the next request may start. */
  void exchangeEnded(Exchange exchange) {
    if (exchange != current) {
      return;
    }
    current = null;
    if (headTimeout != null) {
      headTimeout.exchangeEnded();
    }
    if (exchange.closesConnection()) {
      closing = true;
      releaseWaiting();
      return;
    }
    if (draining || waiting == null) {
      return;
    }
    draining = true;
    try {
      Object msg;
      while (current == null && (msg = waiting.poll()) != null) {
        dispatch(msg);
        // Contents that follow a started request belong to it: hand them over at once.
        while (current != null && (msg = waiting.peek()) != null && !(msg instanceof HttpRequest)) {
          dispatch(waiting.poll());
        }
      }
    } finally {
      draining = false;
    }
    if (queuePaused && waiting.size() < MAX_WAITING / 2) {
      queuePaused = false;
      updateAutoRead();
    }
  }

  /**
   * Closes the connection after a response that said {@code Connection: close}. When the client
   * may still be sending (a body answered early, such as a 413), the connection is closed in
   * two steps, as nginx's lingering close does: our side is shut (FIN, or TLS close_notify) and
   * what still arrives is read and dropped for up to {@link #LINGER_MILLIS}, because closing a
   * socket with unread input makes the kernel send a reset that can destroy the response before
   * the client has read it. An HTTP/2 stream is simply closed (reset).
   */
  void close(boolean unreadInput) {
    closing = true;
    if (!unreadInput || connection.http2() || !channel.isActive()) {
      channel.close();
      return;
    }
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls != null) {
      tls.closeOutbound();
    } else if (channel instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    } else {
      channel.close();
      return;
    }
    queuePaused = false;
    bodyPaused = false;
    updateAutoRead();
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** From {@link Exchange}: stop or resume reading for the body's sake. */
  void bodyPaused(boolean paused) {
    if (bodyPaused != paused) {
      bodyPaused = paused;
      updateAutoRead();
    }
  }

  private void updateAutoRead() {
    channel.config().setAutoRead(!bodyPaused && !queuePaused);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Exchange exchange = receiving != null ? receiving : current;
    if (exchange != null) {
      exchange.readComplete();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      // Idle means no bytes either way for idle_timeout; a request waiting on a slow upstream keeps its connection.
      if (current == null) {
        ctx.close();
      }
      return;
    }
    if (event == RequestHeadTimeout.EXPIRED) {
      if (current == null) {
        headTimedOut();
      }
      return;
    }
    if (event instanceof GoingAway) {
      goingAway();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  /**
   * The listener is going away (RFC 9110 §9.6): a connection with a request in progress closes
   * after its response, which says {@code Connection: close}; an idle one closes now. Pipelined
   * requests not yet begun are not answered: the close tells the client to send them again.
   */
  private void goingAway() {
    if (closing) {
      return;
    }
    if (current != null) {
      current.goingAway();
    } else if (headTimeout == null || !headTimeout.headInProgress()) {
      closing = true;
      channel.close();
    }
    // else a head is arriving: its response will see the listener going away and say close.
  }

  /** A request head did not finish arriving in time: 408 as a normal answer (logged, with the headers), then close. */
  private void headTimedOut() {
    HttpRequest stand = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    stand.setDecoderResult(DecoderResult.failure(new IOException("request head timed out")));
    Exchange exchange = new Exchange(channel, connection, this, pipelines.get(), stand, false, false);
    current = exchange;
    exchange.respond(Problem.REQUEST_TIMEOUT);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      Exchange exchange = current;
      current = null;
      exchange.connectionLost();
    }
    if (receiving != null) {
      receiving.connectionLost();
      receiving = null;
    }
    releaseWaiting();
    ctx.fireChannelInactive();
  }

  private void releaseWaiting() {
    if (waiting != null) {
      Object msg;
      while ((msg = waiting.poll()) != null) {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets, broken pipes and failed handshakes are the network's doing, not ours: no ERROR line per connection.
    if (cause instanceof IOException || cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      LOG.debug("connection closed: {}", cause.toString());
    } else {
      LOG.warn("connection failed", cause);
    }
    ctx.close();
  }
}
