package io.gatehouse.support;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A {@link TestUpstream} and a gateway whose routes reach it as {@code ${UP}}: the usual integration-test pair. */
public final class GatewayWithUpstream implements AutoCloseable {

  public final TestUpstream upstream;
  public final GatehouseFixture gateway;

  private GatewayWithUpstream(TestUpstream upstream, GatehouseFixture gateway) {
    this.upstream = upstream;
    this.gateway = gateway;
  }

  public static GatewayWithUpstream start(Path data, String yaml, Map<String, String> variables) throws Exception {
    return start(data, yaml, variables, Clock.systemUTC());
  }

  /** As {@link #start(Path, String, Map)}, with the gateway on {@code clock}. */
  public static GatewayWithUpstream start(Path data, String yaml, Map<String, String> variables, Clock clock)
      throws Exception {
    TestUpstream upstream = TestUpstream.start("up");
    Map<String, String> env = new HashMap<>(variables);
    env.put("UP", upstream.url());
    try {
      return new GatewayWithUpstream(upstream, GatehouseFixture.start(data, yaml, env, clock));
    } catch (Exception e) {
      upstream.close();
      throw e;
    }
  }

  @Override
  public void close() {
    gateway.close();
    upstream.close();
  }
}
