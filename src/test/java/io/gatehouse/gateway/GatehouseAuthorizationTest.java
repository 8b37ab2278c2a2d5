package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code Authorization} values the proxy takes for Gatehouse's own credentials, read in place. */
class GatehouseAuthorizationTest {

  private static final String SESSION = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJK-_0123"; // 43 characters

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "Bearer gh_0123456789ab_secret   | true",
      "bearer gh_0123456789ab_secret   | true",
      "Bearer    gh_0123456789ab_secret| true",
      "'  Bearer gh_x  '               | true",
      "ApiKey gh_0123456789ab_secret   | true",
      "APIKEY anything                 | true",
      "Bearer " + SESSION + "          | true",
      "Bearer " + SESSION + "x         | false",
      "Bearer abcdefghijklmnopqrstuvwxyzABCDEFGHIJK-_012 | false",
      "Bearer abcdefghijklmnopqrstuvwxyzABCDEFGHIJK-_01. | false",
      "Bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln | false",
      "Basic Z2hfeDp5                  | false",
      "Bearer                          | false",
      "Bearerx gh_x                    | false",
      "Token gh_x                      | false",
      "Bearer gh                       | false",
  })
  void recognisesOnlyGatehouseCredentials(String value, boolean gatehouse) {
    assertThat(ProxyHeaders.isGatehouseAuthorization(value)).isEqualTo(gatehouse);
  }
}
