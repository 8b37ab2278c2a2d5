package io.gatehouse.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.http.Exchange;
import io.gatehouse.http.Exchanges;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of where credentials are read ({@link Credentials#authorization}): an arbitrary
 * {@code Authorization} value, as Netty's decoder would hand it over, read for each scheme the
 * authenticators ask for.
 *
 * <p>Property: the answer is null or the token of that scheme: the value starts with the scheme
 * (any case) and one space, and the token is the non-empty rest with its surrounding white space
 * removed; never an exception.
 */
@Timeout(10)
class CredentialsFuzzTest {

  @FuzzTest
  void authorization(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    try {
      headers.add(HttpHeaderNames.AUTHORIZATION, value);
    } catch (IllegalArgumentException refusedByTheDecoder) {
      return;
    }
    Exchange exchange = Exchanges.of(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", headers));
    for (String scheme : new String[] {"Bearer", "ApiKey", "Basic"}) {
      String token = Credentials.authorization(exchange, scheme);
      if (token == null) {
        continue;
      }
      assertThat(value.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1)).as(value).isTrue();
      assertThat(token).isNotEmpty().isEqualTo(token.strip()).isEqualTo(value.substring(scheme.length() + 1).strip());
    }
  }
}
