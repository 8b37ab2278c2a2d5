package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.TransportKind;
import io.gatehouse.http.server.Transports;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code server.transport}: every transport serves and proxies the same; the default never picks io_uring. */
class TransportIT {

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void everyTransportServesAndProxies(String transport, @TempDir Path data) throws Exception {
    TransportKind kind = switch (transport) {
      case "nio" -> TransportKind.NIO;
      case "epoll" -> TransportKind.EPOLL;
      default -> TransportKind.IO_URING;
    };
    boolean available;
    try {
      Transports.choose(kind);
      available = true;
    } catch (IllegalStateException e) {
      available = false;
    }
    Assumptions.assumeTrue(available || System.getenv("GATEHOUSE_REQUIRE_SERVICES") != null,
        transport + " is not available on this machine");
    try (TestUpstream up = TestUpstream.start("up");
         GatehouseFixture gateway = GatehouseFixture.startRaw(data, """
             server:
               transport: %s
               http: { host: 127.0.0.1, port: 0 }
               https: { enabled: false }
             management: { host: 127.0.0.1, port: 0 }
             store: { embedded: { path: "${DATA}" } }
             routes:
               - { id: open, path: /**, upstream: "${UP}", auth: [none] }
             """.formatted(transport), Map.of("UP", up.url()))) {
      for (int i = 0; i < 20; i++) { // enough to reuse pooled upstream connections
        HttpResponse<String> response = gateway.get("/items/" + i, "Content-Type", "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("uri")).isEqualTo("/items/" + i);
      }
      assertThat(gateway.send(java.net.http.HttpRequest.newBuilder(gateway.management("/health/ready")).build()).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void theDefaultIsIoUringWhereItLoadsElseEpoll() {
    var chosen = Transports.choose(ConfigLoader.defaults().server().transport());
    var ioUring = io.vertx.core.transport.Transport.IO_URING;
    if (ioUring != null && ioUring.available()) {
      assertThat(chosen.name()).isEqualTo("io_uring");
    } else {
      assertThat(chosen.name()).isIn("epoll", "kqueue", "nio");
    }
  }

  @Test
  void anUnavailableTransportNamedExplicitlyStopsTheStartWithItsReason() {
    // What a container whose seccomp profile blocks io_uring looks like to Vert.x.
    io.vertx.core.transport.Transport blocked = new io.vertx.core.transport.Transport() {
      @Override
      public String name() {
        return "io_uring";
      }

      @Override
      public boolean available() {
        return false;
      }

      @Override
      public Throwable unavailabilityCause() {
        return new UnsupportedOperationException("io_uring_setup: Operation not permitted");
      }

      @Override
      public io.vertx.core.spi.transport.Transport implementation() {
        return null;
      }
    };
    assertThatThrownBy(() -> Transports.requireAvailable(blocked, "io_uring"))
        .hasMessageContaining("server.transport: io_uring is not available here (io_uring_setup: Operation not permitted)");
    assertThatThrownBy(() -> Transports.requireAvailable(null, "kqueue")).hasMessageContaining("kqueue is not available");
  }
}
