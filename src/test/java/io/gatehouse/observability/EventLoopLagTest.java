package io.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The event-loop lag gauge: near zero on an idle loop, the length of a block on a blocked one. Real
 * time throughout: the gauge measures real lag with System.nanoTime on Netty's scheduler, so no clock to fake.
 */
class EventLoopLagTest {

  @Test
  void aBlockedLoopShowsHowLongItWasBlocked() throws Exception {
    DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try {
      EventLoopLag.watch(loops, registry);
      Thread.sleep(3 * EventLoopLag.TICK_MILLIS); // real time: let a few probes run on the idle loops
      assertThat(lag(registry, "0")).as("an idle loop").isLessThan(0.05);

      loops.next().submit(() -> sleep(400)).get(); // DefaultEventLoopGroup hands out loops in turn: loop 0
      Thread.sleep(2 * EventLoopLag.TICK_MILLIS); // real time: the probes delayed by the block run and report
      assertThat(lag(registry, "0")).as("the blocked loop").isGreaterThan(0.25);
      assertThat(lag(registry, "1")).as("the other loop").isLessThan(0.05);

      Thread.sleep(1500); // real time: past the gauge's one-second window of probes
      assertThat(lag(registry, "0")).as("a second later, forgotten").isLessThan(0.05);
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static double lag(SimpleMeterRegistry registry, String loop) {
    return registry.get("gatehouse.event.loop.lag").tag("loop", loop).gauge().value();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // real time: this block on the loop is the lag being measured
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
