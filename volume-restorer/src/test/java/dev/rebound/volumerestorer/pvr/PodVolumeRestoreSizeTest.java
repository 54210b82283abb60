package dev.rebound.volumerestorer.pvr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress measure of a PodVolumeRestore: the volume's regular files, each once. */
class PodVolumeRestoreSizeTest {

  @Test
  void regularFilesCountOnceLinksNotAtAllAndOnlyTheVolumesOwnDoneFileDirectoryIsLeftOut(@TempDir Path volume)
      throws Exception {
    Files.writeString(volume.resolve("orders.db"), "0123456789");
    Files.createSymbolicLink(volume.resolve("current"), volume.resolve("orders.db"));
    Files.createSymbolicLink(volume.resolve("passwd"), Path.of("/etc/passwd")); // the pod's path, not ours
    Files.createDirectories(volume.resolve("app/.velero"));
    Files.writeString(volume.resolve("app/.velero/notes"), "12345"); // the application's own .velero
    Files.writeString(volume.resolve(".velero-notes"), "123");
    Files.createDirectories(volume.resolve(".velero"));
    Files.writeString(volume.resolve(".velero/6b7f1c2e"), "done"); // the done file
    assertEquals(10 + 5 + 3, PodVolumeRestoreController.size(volume));
  }
}
