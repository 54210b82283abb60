package dev.rebound.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void clusterIdsAre22Base64CharactersNeverStartingWithADash() {
    // One id in 64 would start with '-' without the guard; 5000 draws miss it with odds of 1e-34.
    for (int i = 0; i < 5000; i++) {
      String id = KafkaBroker.clusterId();
      assertEquals(22, id.length(), id);
      assertFalse(id.startsWith("-"), id);
    }
  }
}
