package io.gatehouse.guard;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import io.gatehouse.keys.BouncyCastleEc;
import java.security.Key;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a Nimbus JWT processor finds and uses a signature's key, for every token Gatehouse verifies
 * (access tokens, and the id token hints of logout): the keys of one JWK set matching the header
 * ({@code kid}, key type, use) for an accepted algorithm, and Nimbus's verifiers, with ECDSA checked
 * by Bouncy Castle on its own key objects ({@link BouncyCastleEc}: about 11,000 P-256
 * verifications per second and core against the JDK's 1,100 on JDK 17), RSA by the JDK (the faster
 * there) and Ed25519 from the JWK itself, which Nimbus's JCA-shaped key selection cannot carry.
 */
public final class SignatureKeys {

  private static final JWSVerifierFactory VERIFIERS = new ProviderChoosingVerifierFactory();

  private SignatureKeys() {
  }

  /** The keys of {@code keys} that may have signed a JWS with this header, for {@code algorithms} only. */
  public static JWSKeySelector<SecurityContext> selector(Set<JWSAlgorithm> algorithms, Supplier<JWKSet> keys) {
    return (header, context) -> algorithms.contains(header.getAlgorithm()) ? candidates(header, keys.get()) : List.of();
  }

  public static JWSVerifierFactory verifiers() {
    return VERIFIERS;
  }

  private static List<Key> candidates(JWSHeader header, JWKSet keys) throws KeySourceException {
    List<Key> candidates = new ArrayList<>();
    for (JWK jwk : new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keys)) {
      try {
        if (jwk instanceof OctetKeyPair okp) {
          candidates.add(new Ed25519Key(okp));
        } else if (jwk instanceof ECKey ec) {
          candidates.add(BouncyCastleEc.publicKey(ec));
        } else if (jwk instanceof AsymmetricJWK asymmetric) {
          candidates.add(asymmetric.toPublicKey());
        }
      } catch (JOSEException e) {
        throw new KeySourceException("unusable key", e);
      }
    }
    return candidates;
  }

  /** An Ed25519 JWK carried through the JCA-shaped key selection to {@link ProviderChoosingVerifierFactory}. */
  private record Ed25519Key(OctetKeyPair jwk) implements PublicKey {
    @Override
    public String getAlgorithm() {
      return "Ed25519";
    }

    @Override
    public String getFormat() {
      return null;
    }

    @Override
    public byte[] getEncoded() {
      return null;
    }
  }

  /** Nimbus's default verifiers, with the providers chosen as above. */
  private static final class ProviderChoosingVerifierFactory implements JWSVerifierFactory {

    private final DefaultJWSVerifierFactory defaults = new DefaultJWSVerifierFactory();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
      if (key instanceof Ed25519Key ed) {
        return new Ed25519Verifier(ed.jwk());
      }
      JWSVerifier verifier = defaults.createJWSVerifier(header, key);
      if (verifier instanceof ECDSAVerifier) {
        verifier.getJCAContext().setProvider(BouncyCastleEc.PROVIDER);
      }
      return verifier;
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return defaults.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
      return defaults.getJCAContext();
    }
  }
}
