package dev.rebound.coordinator.archive;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference 1.3: item paths, version directories and scope. */
class ArchivePathTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "NULL", value = {
      "resources/pods/namespaces/shop/web-1.json,pods,NULL,shop,web-1",
      "resources/deployments.apps/namespaces/shop/web.json,deployments.apps,NULL,shop,web",
      "resources/namespaces/cluster/shop.json,namespaces,NULL,NULL,shop",
      "resources/persistentvolumes/cluster/pv-1.json,persistentvolumes,NULL,NULL,pv-1",
      "resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json,deployments.apps,v1-preferredversion,shop,web",
      "resources/horizontalpodautoscalers.autoscaling/v2beta2/namespaces/a/h.json,horizontalpodautoscalers.autoscaling,v2beta2,a,h",
      "resources/storageclasses.storage.k8s.io/v1-preferredversion/cluster/fast.json,storageclasses.storage.k8s.io,v1-preferredversion,NULL,fast",
      "resources/configmaps/namespaces/a/name.with.dots.json,configmaps,NULL,a,name.with.dots"})
  void itemPathsAreParsed(String entry, String gr, String versionDir, String ns, String name) {
    ArchivePath p = ArchivePath.parse(entry).orElseThrow();
    assertEquals(new ArchivePath(gr, versionDir, ns, name), p);
    assertEquals(entry, p.entryName(), "round trip");
  }

  @ParameterizedTest(name = "{0} is not an item")
  @ValueSource(strings = {"metadata/version", "resources/pods", "resources/pods/namespaces/a/b.yaml",
      "resources/pods/namespaces/a/extra/b.json", "resources/pods/other/b.json", "velero-backup.json",
      "resources/pods/namespaces/a/.json"})
  void otherEntriesAreIgnored(String entry) {
    assertEquals(Optional.empty(), ArchivePath.parse(entry));
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {"resources/../../etc/passwd", "../x", "/etc/passwd", "resources/pods/namespaces/../b.json",
      "resources\\pods", "./resources/pods/cluster/x.json", ""})
  void entriesThatCouldEscapeTheArchiveAreRefused(String entry) {
    CorruptBackupException e = assertThrows(CorruptBackupException.class, () -> ArchivePath.checkSafe(entry));
    assertTrue(e.getMessage().startsWith("tar entry \"" + entry + "\" is not a relative path"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} is safe")
  @ValueSource(strings = {"resources/pods/namespaces/a/b.json", "metadata/version", "resources/x..y/cluster/a..b.json"})
  void plainRelativeEntriesAreSafe(String entry) {
    assertDoesNotThrow(() -> ArchivePath.checkSafe(entry));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "NULL", value = {"v1-preferredversion,v1", "v2beta2,NULL", "NULL,NULL"})
  void preferredVersionComesFromTheDirectorySuffix(String dir, String version) {
    assertEquals(Optional.ofNullable(version), new ArchivePath("gr", dir, null, "n").preferredVersion());
  }
}
