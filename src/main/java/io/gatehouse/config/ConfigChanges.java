package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a reload may change while Gatehouse runs, and what it may not. Routes, upstreams, issuers,
 * rate limits (their counts carry over where a limit is unchanged), CORS, security headers,
 * trusted proxies, signup, session timeouts and cookie, and the TLS certificate, key and client CA
 * files change live. What the running process is built on does not: the listeners' addresses,
 * the transport and connection limits, the management listener, the store, the issuer and token
 * settings, the failure throttles' and limiter's sizes, the shutdown timings, tracing and passkeys. Stateless.
 */
public final class ConfigChanges {

  private ConfigChanges() {
  }

  /** The keys whose change needs a restart, in file order; empty when {@code next} can be applied live. */
  public static List<String> notLive(Config current, Config next) {
    List<String> keys = new ArrayList<>();
    check(keys, "issuer", current.issuer(), next.issuer());
    ServerConfig was = current.server();
    ServerConfig is = next.server();
    check(keys, "server.http", was.http(), is.http());
    HttpsConfig wasTls = was.https();
    HttpsConfig isTls = is.https();
    check(keys, "server.https.enabled", wasTls.enabled(), isTls.enabled());
    check(keys, "server.https.host", wasTls.host(), isTls.host());
    check(keys, "server.https.port", wasTls.port(), isTls.port());
    // A configured certificate can be renewed in place; switching to or from the generated one cannot.
    check(keys, "server.https.cert", wasTls.cert() == null, isTls.cert() == null);
    check(keys, "server.limits", was.limits(), is.limits());
    check(keys, "server.transport", was.transport(), is.transport());
    check(keys, "management", current.management(), next.management());
    check(keys, "store", current.store(), next.store());
    check(keys, "tokens", current.tokens(), next.tokens());
    RateLimitsConfig wasLimits = current.rateLimits();
    RateLimitsConfig isLimits = next.rateLimits();
    check(keys, "rate_limits.max_keys", wasLimits.maxKeys(), isLimits.maxKeys());
    check(keys, "rate_limits.login_failures", wasLimits.login(), isLimits.login());
    check(keys, "rate_limits.token_failures", wasLimits.token(), isLimits.token());
    check(keys, "rate_limits.fail_open", wasLimits.failOpen(), isLimits.failOpen());
    check(keys, "shutdown", current.shutdown(), next.shutdown());
    check(keys, "tracing", current.tracing(), next.tracing());
    check(keys, "passkeys", current.passkeys(), next.passkeys());
    return List.copyOf(keys);
  }

  private static void check(List<String> keys, String key, Object was, Object is) {
    if (!Objects.equals(was, is)) {
      keys.add(key);
    }
  }
}
