package dev.rebound.model.velero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 1.1, 1.2 and 1.4: the keys Velero reads and writes. */
class BackupStoreLayoutTest {

  @ParameterizedTest(name = "prefix \"{0}\" gives root \"{1}\"")
  @CsvSource(nullValues = "NULL", value = {"NULL,''", "'',''", "/,''", "velero,velero/", "/team-a/velero/,team-a/velero/", "//x//,x/"})
  void prefixIsTrimmedOfLeadingAndTrailingSlashes(String prefix, String root) {
    assertEquals(root, new BackupStoreLayout(prefix).root());
  }

  @Test
  void backupFilesFollowSection12() {
    BackupStoreLayout l = new BackupStoreLayout("p");
    assertEquals("p/backups/", l.backupsPrefix());
    assertEquals("p/backups/b1/velero-backup.json", l.backupMetadata("b1"));
    assertEquals("p/backups/b1/b1.tar.gz", l.backupTarball("b1"));
    assertEquals("p/backups/b1/b1-logs.gz", l.backupLog("b1"));
    assertEquals("p/backups/b1/b1-volumesnapshots.json.gz", l.volumeSnapshots("b1"));
    assertEquals("p/backups/b1/b1-podvolumebackups.json.gz", l.podVolumeBackups("b1"));
    assertEquals("p/backups/b1/b1-resource-list.json.gz", l.backupResourceList("b1"));
    assertEquals("p/backups/b1/b1-csi-volumesnapshots.json.gz", l.csiVolumeSnapshots("b1"));
    assertEquals("p/backups/b1/b1-itemoperations.json.gz", l.backupItemOperations("b1"));
    assertEquals("p/backups/b1/b1-results.gz", l.backupResults("b1"));
    assertEquals("p/backups/b1/b1-volumeinfo.json.gz", l.volumeInfo("b1"));
  }

  @Test
  void restoreFilesFollowSection14IncludingTheVolumeInfoNameWithoutRestorePrefix() {
    BackupStoreLayout l = new BackupStoreLayout(null);
    assertEquals("restores/r1/restore-r1-logs.gz", l.restoreLog("r1"));
    assertEquals("restores/r1/restore-r1-results.gz", l.restoreResults("r1"));
    assertEquals("restores/r1/restore-r1-resource-list.json.gz", l.restoreResourceList("r1"));
    assertEquals("restores/r1/restore-r1-itemoperations.json.gz", l.restoreItemOperations("r1"));
    assertEquals("restores/r1/r1-volumeinfo.json.gz", l.restoreVolumeInfo("r1"));
  }

  @org.junit.jupiter.api.Test
  void resticRepositoriesAreUnderTheLocationsPrefixPerNamespace() {
    assertEquals("restic/shop", new BackupStoreLayout(null).resticRepository("shop"));
    assertEquals("s3:http://minio:9000/velero/cluster-a/restic/shop",
        new BackupStoreLayout("/cluster-a/").resticRepositoryUrl("http://minio:9000/", "velero", "shop"));
  }
}
