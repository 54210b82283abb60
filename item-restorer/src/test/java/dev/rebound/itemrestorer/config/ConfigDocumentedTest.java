package dev.rebound.itemrestorer.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.support.config.ServiceConfig;
import dev.rebound.testsupport.Readme;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration tables list every key of this service's mappings. */
class ConfigDocumentedTest {

  @Test
  void everyConfigKeyIsInTheReadme() {
    String readme = Readme.text();
    String prefix = Readme.prefixOf(ItemRestorerConfig.class);
    for (Class<?> mapping : List.of(ItemRestorerConfig.class, ServiceConfig.class)) {
      for (String key : Readme.configKeys(mapping)) {
        String generic = key.replace(prefix + ".", "<prefix>.");
        assertTrue(readme.contains("`" + key + "`") || readme.contains("`" + generic + "`"),
            key + " is not documented in README.md");
      }
    }
  }
}
