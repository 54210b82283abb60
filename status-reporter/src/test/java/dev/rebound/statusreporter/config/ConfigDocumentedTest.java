package dev.rebound.statusreporter.config;

import dev.rebound.storage.StorageConfig;
import dev.rebound.support.config.ServiceConfig;
import dev.rebound.testsupport.Readme;
import org.junit.jupiter.api.Test;

/** The README's configuration tables list every key of this service's mappings. */
class ConfigDocumentedTest {

  @Test
  void everyConfigKeyIsInTheReadme() {
    Readme.assertConfigDocumented(StatusReporterConfig.class, ServiceConfig.class, StorageConfig.class,
        dev.rebound.statusreporter.auth.AuthConfig.class,
        dev.rebound.statusreporter.objects.DownloadRequestsConfig.class,
        dev.rebound.statusreporter.objects.RestoreObjectsConfig.class);
  }
}
