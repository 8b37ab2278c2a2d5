package io.gatehouse.guard;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.http.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token verifications per second: a client reusing its token (answered by the verified-token
 * cache: a SHA-256 and a lookup) against a signature check on every request, for ES256 and
 * RS256. Run with {@code bash bench/jmh.sh JwtVerifierBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtVerifierBenchmark {

  @Param({"ES256", "RS256"})
  public String algorithm;

  @Param({"true", "false"})
  public boolean cache;

  private JwtVerifier verifier;
  private String token;

  @Setup
  public void setUp() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
    JWKSet published = new JWKSet(List.of(ec, rsa));
    IssuerKeys keys = IssuerKeys.fixed(VerificationKeys.from(published));
    verifier = new JwtVerifier("https://issuer.bench", List.of("api"), List.of("ES256", "RS256"), false, "roles",
        keys, RevokedTokens.NONE, Clock.systemUTC(), cache ? 10_000 : 0);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://issuer.bench").audience("api").subject("user-42")
        .expirationTime(Date.from(Instant.now().plusSeconds(3600))).issueTime(new Date()).claim("scope", "read").build();
    boolean es = algorithm.equals("ES256");
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(es ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256)
        .keyID(es ? "ec" : "rsa").build(), claims);
    jwt.sign(es ? new ECDSASigner(ec) : new RSASSASigner(rsa));
    token = jwt.serialize();
  }

  @Benchmark
  public Principal verify() {
    return verifier.verify(token).result();
  }
}
