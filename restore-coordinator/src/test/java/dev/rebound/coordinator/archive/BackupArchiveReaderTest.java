package dev.rebound.coordinator.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.fixtures.VeleroTarballWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Reference 1.3: streaming the tarball, its version directories, and every way it can be broken. */
class BackupArchiveReaderTest {

  private static final byte[] CM = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}"
      .getBytes(StandardCharsets.UTF_8);

  static byte[] tarball(java.util.function.Consumer<VeleroTarballWriter> writes) {
    return VeleroTarballWriter.toBytes(writes);
  }

  static final class Collect implements BackupArchiveReader.ItemHandler {
    final List<ArchivePath> items = new ArrayList<>();
    final List<String> oversized = new ArrayList<>();

    @Override
    public void item(ArchivePath path, byte[] json) {
      items.add(path);
    }

    @Override
    public void oversized(ArchivePath path, long size) {
      oversized.add(path.entryName() + "=" + size);
    }
  }

  @Test
  void itemsComeFromTheirLegacyPathOnlyAndVersionsAreRecorded() throws Exception {
    byte[] tgz = tarball(w -> {
      w.writeItem("configmaps", "v1", "shop", "c", CM);
      w.writeItem("namespaces", "v1", null, "shop", CM);
      w.writeNonPreferredVersion("horizontalpodautoscalers.autoscaling", "v2beta2", "shop", "h", CM);
      w.writeItem("horizontalpodautoscalers.autoscaling", "v1", "shop", "h", CM);
    });
    Collect c = new Collect();
    BackupArchiveReader.Summary s = new BackupArchiveReader(1 << 20).read(new ByteArrayInputStream(tgz), c);
    assertEquals(List.of(new ArchivePath("configmaps", null, "shop", "c"), new ArchivePath("namespaces", null, null, "shop"),
        new ArchivePath("horizontalpodautoscalers.autoscaling", null, "shop", "h")), c.items);
    assertEquals("1.1.0", s.formatVersion());
    assertTrue(s.hasResources());
    assertEquals(3, s.items());
    assertEquals("v1", s.preferredVersions().get("horizontalpodautoscalers.autoscaling"));
    assertEquals(new TreeSet<>(List.of("v1", "v2beta2")), s.versions().get("horizontalpodautoscalers.autoscaling"));
  }

  @Test
  void backupWithoutResourcesDirectoryHasNoResources() throws Exception {
    BackupArchiveReader.Summary s = new BackupArchiveReader(1 << 20).read(new ByteArrayInputStream(tarball(w -> { })), new Collect());
    assertFalse(s.hasResources());
    assertEquals("1.1.0", s.formatVersion());
  }

  @Test
  void itemOverTheLimitIsReportedWithoutBeingRead() throws Exception {
    byte[] big = new byte[5000];
    Arrays.fill(big, (byte) ' ');
    byte[] tgz = tarball(w -> {
      w.writeItem("configmaps", "v1", "shop", "big", big);
      w.writeItem("configmaps", "v1", "shop", "small", CM);
    });
    Collect c = new Collect();
    new BackupArchiveReader(4096).read(new ByteArrayInputStream(tgz), c);
    assertEquals(List.of("resources/configmaps/namespaces/shop/big.json=5000"), c.oversized);
    assertEquals(List.of(new ArchivePath("configmaps", null, "shop", "small")), c.items);
  }

  @Test
  void truncatedGzipIsACorruptBackupNotACrash() {
    byte[] tgz = tarball(w -> {
      for (int i = 0; i < 200; i++) {
        w.writeItem("configmaps", "v1", "shop", "c" + i, CM);
      }
    });
    byte[] cut = Arrays.copyOf(tgz, tgz.length / 2);
    CorruptBackupException e = assertThrows(CorruptBackupException.class,
        () -> new BackupArchiveReader(1 << 20).read(new ByteArrayInputStream(cut), new Collect()));
    assertTrue(e.getMessage().startsWith("backup tarball is truncated or corrupt: "), e.getMessage());
  }

  @Test
  void dataThatIsNotGzipIsACorruptBackup() {
    CorruptBackupException e = assertThrows(CorruptBackupException.class, () -> new BackupArchiveReader(1 << 20)
        .read(new ByteArrayInputStream("PK\u0003\u0004 not a tarball".getBytes(StandardCharsets.UTF_8)), new Collect()));
    assertTrue(e.getMessage().startsWith("backup tarball is truncated or corrupt: "), e.getMessage());
  }

  @Test
  void entryWithDotDotInItsNameStopsTheRead() {
    byte[] tgz = tarball(w -> {
      w.writeItem("configmaps", "v1", "shop", "c", CM);
      w.writeRawEntry("resources/../../etc/passwd", "root:x:0:0".getBytes(StandardCharsets.UTF_8));
    });
    CorruptBackupException e = assertThrows(CorruptBackupException.class,
        () -> new BackupArchiveReader(1 << 20).read(new ByteArrayInputStream(tgz), new Collect()));
    assertEquals("tar entry \"resources/../../etc/passwd\" is not a relative path inside the backup archive "
        + "(path traversal); refusing to read the backup", e.getMessage());
  }

  @Test
  void failureOfTheDownloadStaysAnIoErrorNotACorruptBackup() {
    byte[] tgz = tarball(w -> {
      for (int i = 0; i < 200; i++) {
        w.writeItem("configmaps", "v1", "shop", "c" + i, CM);
      }
    });
    IOException network = new IOException("connection reset by peer");
    InputStream failing = new InputStream() {
      int read;

      @Override
      public int read() throws IOException {
        if (read++ > tgz.length / 2) {
          throw network;
        }
        return tgz[read - 1] & 0xff;
      }
    };
    IOException e = assertThrows(IOException.class, () -> new BackupArchiveReader(1 << 20).read(failing, new Collect()));
    assertSame(network, e);
  }

  @Test
  void noVersionDirectoriesMeansNoRecordedVersions() throws Exception {
    byte[] tgz = tarball(w -> w.writeRawEntry("resources/configmaps/namespaces/shop/c.json", CM));
    BackupArchiveReader.Summary s = new BackupArchiveReader(1 << 20).read(new ByteArrayInputStream(tgz), new Collect());
    assertEquals(Map.<String, SortedSet<String>>of(), s.versions());
  }
}
