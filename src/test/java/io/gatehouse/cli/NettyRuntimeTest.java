package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyRuntimeTest {

  private final String before = System.getProperty("io.netty.noUnsafe");

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty("io.netty.noUnsafe");
    } else {
      System.setProperty("io.netty.noUnsafe", before);
    }
  }

  @Test
  void unsafeIsTurnedBackOnFromJava25Only() {
    System.clearProperty("io.netty.noUnsafe");
    NettyRuntime.configure(17, Map.of());
    assertThat(System.getProperty("io.netty.noUnsafe")).isNull();
    NettyRuntime.configure(25, Map.of());
    assertThat(System.getProperty("io.netty.noUnsafe")).isEqualTo("false");
  }

  @Test
  void theOperatorDecides() {
    System.clearProperty("io.netty.noUnsafe");
    NettyRuntime.configure(25, Map.of("GATEHOUSE_NETTY_UNSAFE", "off"));
    assertThat(System.getProperty("io.netty.noUnsafe")).isNull();
    System.setProperty("io.netty.noUnsafe", "true");
    NettyRuntime.configure(25, Map.of());
    assertThat(System.getProperty("io.netty.noUnsafe")).isEqualTo("true");
  }
}
