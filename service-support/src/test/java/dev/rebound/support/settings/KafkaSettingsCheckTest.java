package dev.rebound.support.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker check against addresses where no broker is: the real Kafka admin client's failures. */
class KafkaSettingsCheckTest {

  @Test
  void aPortWithNoBrokerIsReportedWithTheSettingAndItsValue() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String servers = "127.0.0.1:" + port;
    List<SettingProblem> problems = KafkaSettingsCheck.check(servers);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals("kafka.bootstrap.servers", problems.get(0).property());
    assertTrue(problems.get(0).problem().startsWith("no Kafka broker answers at \"" + servers + "\" within 5s"),
        problems.get(0).problem());
  }

  @Test
  void anUnusableListIsReportedWithoutContactingAnything() {
    List<SettingProblem> problems = KafkaSettingsCheck.check("no port here");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).problem().startsWith("\"no port here\" is not a usable broker list: "),
        problems.get(0).problem());
  }

  @Test
  void anEmptySettingIsReported() {
    assertEquals(List.of(new SettingProblem("kafka.bootstrap.servers", "is not set")), KafkaSettingsCheck.check(" "));
  }
}
