package io.gatehouse.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Receives a request body as it arrives, from {@link Exchange#receiveBody}. Every call happens on
 * the exchange's event loop; the sink owns (and must release or pass on) each content it gets.
 */
public interface BodySink {

  /** A part of the body; more follows. */
  void content(HttpContent content);

  /** The last part (possibly empty); nothing follows. */
  void end(LastHttpContent last);

  /**
   * The body will not complete: it grew past the limit (413), stopped arriving (408), or the
   * client went away ({@code problem} null). Nothing follows.
   */
  void failed(Problem problem);

  /** The client connection finished a read: a good moment to flush what was written on. */
  default void readComplete() {
  }
}
