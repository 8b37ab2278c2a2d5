package io.gatehouse.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.http.server.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An OpenID provider for tests: HTTPS on a random port with a self-signed certificate (trust it
 * with {@link #caFile()}), OIDC discovery at {@code /.well-known/openid-configuration}, its JWK
 * set at {@code /jwks}, and ES256 tokens signed by its current key. Keys rotate with
 * {@link #rotate()}; {@link #mode} makes it fail the way real issuers do.
 */
public final class TestIssuer implements AutoCloseable {

  public enum Mode { UP, DOWN, GARBAGE, HUGE, WRONG_ISSUER }

  public volatile Mode mode = Mode.UP;
  public final AtomicInteger jwksRequests = new AtomicInteger();
  public final AtomicInteger discoveryRequests = new AtomicInteger();

  private final Vertx vertx = Vertx.vertx();
  private final Path caFile;
  private final List<ECKey> published = new ArrayList<>();
  private volatile ECKey signing;
  private HttpServer server;
  private int generation;

  private TestIssuer(Path dir) throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.ensure(dir);
    this.caFile = files.cert();
    rotate();
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(files.cert().toString()).setKeyPath(files.key().toString())))
        .requestHandler(req -> {
          Mode now = mode;
          if (now == Mode.DOWN) {
            req.response().setStatusCode(503).end();
            return;
          }
          switch (req.path()) {
            case "/.well-known/openid-configuration" -> {
              discoveryRequests.incrementAndGet();
              req.response().putHeader("content-type", "application/json").end(new JsonObject()
                  .put("issuer", now == Mode.WRONG_ISSUER ? "https://elsewhere.test" : issuer())
                  .put("jwks_uri", issuer() + "/jwks").encode());
            }
            case "/jwks" -> {
              jwksRequests.incrementAndGet();
              String body = switch (now) {
                case GARBAGE -> "{\"keys\": \"not a list\"";
                case HUGE -> "{\"keys\": [], \"pad\": \"" + "x".repeat(600 * 1024) + "\"}";
                default -> jwks().toString();
              };
              req.response().putHeader("content-type", "application/json").end(body);
            }
            default -> req.response().setStatusCode(404).end();
          }
        });
    server.listen(0, "127.0.0.1").await();
  }

  /** @param dir where the self-signed certificate is written */
  public static TestIssuer start(Path dir) throws Exception {
    return new TestIssuer(dir);
  }

  public String issuer() {
    return "https://127.0.0.1:" + server.actualPort();
  }

  public Path caFile() {
    return caFile;
  }

  /** A new signing key, published beside the previous ones. */
  public synchronized void rotate() throws Exception {
    signing = new ECKeyGenerator(Curve.P_256).keyID("key-" + (++generation)).generate();
    published.add(signing);
  }

  /** Stops publishing every key but the current one. */
  public synchronized void retireOldKeys() {
    published.removeIf(key -> key != signing);
  }

  public synchronized JWKSet jwks() {
    return new JWKSet(new ArrayList<JWK>(published)).toPublicJWKSet();
  }

  public String currentKid() {
    return signing.getKeyID();
  }

  /** A token for {@code subject} with audience {@code api}, valid for ten minutes, changed by {@code change}. */
  public String token(String subject, Consumer<JWTClaimsSet.Builder> change) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).audience("api").subject(subject)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
    change.accept(claims);
    return sign(signing, claims.build());
  }

  public static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
