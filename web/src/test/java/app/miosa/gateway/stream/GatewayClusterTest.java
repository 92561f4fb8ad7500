package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayClusterTest {

  @Test
  void revocationRoundTrips() {
    GatewayCluster.Revocation revocation = new GatewayCluster.Revocation("acme", "cmp_1", 7);

    assertEquals(revocation, GatewayCluster.Revocation.decode(revocation.encode()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "acme", "acme\ncmp_1", "acme\ncmp_1\nseven", "a\nb\n1\nextra"})
  void malformedRevocationIsRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> GatewayCluster.Revocation.decode(text));
  }
}
