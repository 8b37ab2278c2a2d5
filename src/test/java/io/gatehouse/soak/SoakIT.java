package io.gatehouse.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak in a minute, in every {@code mvn verify}: one instance on SQLite, in-process, under the
 * full workload, while the upstream resets and stalls, the connections of every client are cut
 * (a relay in front), and the instance is stopped and started again on the same data. No promise
 * may break, no acknowledged write may be lost, and every fault must be recovered from. The report
 * goes to {@code target/soak-it/}; {@code bench/soak.sh} runs the 10-minute scale-out version.
 */
class SoakIT {

  private static final String ADMIN = "soak-admin";
  private static final String ADMIN_PASSWORD = "soak admin pass phrase";
  private static final Path JAR = Path.of("target/gatehouse.jar");

  @TempDir
  Path dir;

  @Test
  void aMinuteOfFaultsBreaksNoPromiseAndLosesNoWrite() throws Exception {
    RunClock clock = new RunClock();
    Tally tally = new Tally(clock);
    Promises promises = new Promises(clock);
    ExternalIssuer issuer = new ExternalIssuer();
    Path jwks = dir.resolve("ext-jwks.json");
    issuer.writeJwks(jwks);
    Path data = dir.resolve("data");
    try (SoakUpstream upstream = SoakUpstream.start(0, promises)) {
      Map<String, String> variables = Map.of("UP", upstream.url(), "EXT_JWKS", jwks.toString(),
          "DATA", data.toString());
      String yaml = """
          server:
            http: { host: 127.0.0.1, port: 0 }
            https: { enabled: false }
            limits: { max_body_bytes: 16MiB }
          management: { host: 127.0.0.1, port: 0 }
          store: { embedded: { path: "${DATA}" } }
          """ + routes();
      Path config = dir.resolve("gatehouse.yaml");
      Files.writeString(config, yaml);
      addAdmin(config, variables);

      AtomicReference<GatehouseFixture> gateway = new AtomicReference<>(GatehouseFixture.startRaw(data, yaml,
          variables));
      try (FaultRelay front = new FaultRelay("client", 0, "127.0.0.1", gateway.get().gatehouse.httpPort())) {
        SoakTarget target = new SoakTarget(URI.create("http://127.0.0.1:" + front.port() + "/"), List.of(
            new SoakTarget.Instance("in-process", () -> gateway.get().http("/"), () -> gateway.get().management("/"),
                () -> ProcessHandle.current().pid())));
        // Requests in flight when it stops are cut off, or answered 503 by a store that is closing.
        Fault restart = Fault.of("instance stopped and started again",
            Set.of(Allowance.GATEWAY_UNREACHABLE, Allowance.STORE_UNAVAILABLE),
            Duration.ofSeconds(10), () -> gateway.get().close(), () -> {
              gateway.set(GatehouseFixture.startRaw(data, yaml, variables));
              front.retarget(gateway.get().gatehouse.httpPort());
            });
        FaultSchedule schedule = new FaultSchedule(List.of(
            step(3, 4, FaultPlans.upstream(upstream, SoakUpstream.Mode.RESET)),
            step(10, 4, FaultPlans.upstream(upstream, SoakUpstream.Mode.STALL)),
            step(18, 3, FaultPlans.cut(front, Set.of(Allowance.GATEWAY_UNREACHABLE))),
            step(26, 1, restart)));
        SoakSettings settings = new SoakSettings(Duration.ofSeconds(42), 25, 4, 10 * 1024 * 1024, 48,
            Duration.ofSeconds(5), Path.of("target/soak-it"), "SoakIT (one instance, SQLite, in-process)");

        SoakResult result = new LoadDriver(target, settings, tally, promises, issuer, ADMIN, ADMIN_PASSWORD)
            .run(schedule);

        assertThat(result.breaks()).as("broken promises (report: target/soak-it/report.md)").isEmpty();
        assertThat(result.lostWrites()).as("acknowledged writes lost").isEmpty();
        assertThat(result.requests()).as("requests sent").isGreaterThan(1000);
        assertThat(result.windows()).hasSize(5);
        assertThat(result.windows().subList(1, 5)).allSatisfy(window -> {
          assertThat(window.problem()).as(window.name()).isNull();
          assertThat(window.recoverySeconds()).as("recovery from " + window.name()).isNotNaN();
        });
      } finally {
        gateway.get().close();
      }
    }
  }

  private static FaultSchedule.Step step(int at, int length, Fault fault) {
    return new FaultSchedule.Step(Duration.ofSeconds(at), Duration.ofSeconds(length), fault);
  }

  static String routes() throws IOException {
    try (InputStream in = SoakIT.class.getResourceAsStream("routes.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The administrator, made with the CLI as an operator would. */
  private static void addAdmin(Path config, Map<String, String> variables) throws Exception {
    ProcessBuilder cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "user", "add", ADMIN, "--role", "admin", "--password-stdin", "--config",
        config.toString()).redirectErrorStream(true);
    cli.environment().putAll(variables);
    Process process = cli.start();
    process.getOutputStream().write((ADMIN_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
