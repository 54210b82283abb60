package dev.rebound.examplerestore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.fixtures.ExampleBackup;
import dev.rebound.fixtures.ResticRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The example's volume data, on a stack with a node (reference 6.2): a pod's emptyDir volume that
 * Velero's file-system backup saved with restic. The files are backed up here by the real
 * {@code restic} into the stack's bucket at Velero's path ({@code restic/shop}), the backup gets
 * the pod and its PodVolumeBackup, and after the restore the pod's own container prints the files
 * it started on.
 */
final class ExampleVolumeData {

  /** The volume as it was backed up: name, content. */
  static final Map<String, String> FILES = Map.of(
      "2026-11-30.txt", "Inventory count: 1,204 items\nNext delivery: Tuesday\n",
      "todo.txt", "- reorder espresso beans\n- renew the TLS certificate\n");

  /** What the backup holds for the pod: the pod and its PodVolumeBackup. */
  record Backed(ObjectNode pod, ObjectNode podVolumeBackup, String snapshot) {}

  private ExampleVolumeData() {}

  /** Writes the notes, backs them up with restic as Velero's node-agent would, and describes the backup. */
  static Backed backUp(Properties stack, String backupName) throws IOException {
    Path dir = Files.createTempDirectory("rebound-example-volume");
    try {
      Path notes = Files.createDirectories(dir.resolve(ExampleBackup.NOTES_VOLUME));
      for (Map.Entry<String, String> f : FILES.entrySet()) {
        Files.writeString(notes.resolve(f.getKey()), f.getValue());
      }
      Files.createSymbolicLink(notes.resolve("latest.txt"), Path.of("2026-11-30.txt"));
      Files.setPosixFilePermissions(notes.resolve("todo.txt"), PosixFilePermissions.fromString("rw-------"));
      Files.setAttribute(notes.resolve("todo.txt"), "unix:uid", 101);
      Files.setAttribute(notes.resolve("todo.txt"), "unix:gid", 101);
      for (String f : FILES.keySet()) {
        Files.setLastModifiedTime(notes.resolve(f), FileTime.from(Instant.parse("2026-11-30T18:05:00Z")));
      }
      ResticRepository repo = new ResticRepository(stack.getProperty("s3.endpoint"), stack.getProperty("s3.bucket"),
          "", ExampleBackup.SOURCE_NAMESPACE, stack.getProperty("s3.access-key"), stack.getProperty("s3.secret-key"),
          stack.getProperty("s3.region"), ResticRepository.VELERO_DEFAULT_PASSWORD, dir.resolve("cache"));
      try {
        repo.init();
      } catch (IllegalStateException e) {
        if (!e.getMessage().contains("already")) {
          throw e; // a repository an earlier run made is used as it is
        }
      }
      ObjectNode pod = ExampleBackup.notesPod();
      String snapshot = repo.backup(notes, Map.of("backup", backupName, "ns", ExampleBackup.SOURCE_NAMESPACE,
          "pod", ExampleBackup.NOTES_POD, "volume", ExampleBackup.NOTES_VOLUME));
      long bytes = FILES.values().stream().mapToLong(String::length).sum();
      return new Backed(pod, repo.podVolumeBackup(backupName, "0c4f3b2a-6d5e-4f71-8a9b-c0d1e2f3a4b5", pod,
          ExampleBackup.NOTES_VOLUME, null, snapshot, bytes, Instant.now()), snapshot);
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Prints what the restored pod's container read from its volume (waits up to {@code seconds} for it). */
  static void print(KubernetesClient kube, PrintStream out, String namespace, String snapshot, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    String log = "";
    while (System.nanoTime() < deadline) {
      try {
        log = kube.pods().inNamespace(namespace).withName(ExampleBackup.NOTES_POD).inContainer("notes").getLog();
      } catch (RuntimeException e) {
        log = "";
      }
      if (log.contains("\nEND")) {
        break;
      }
      Thread.sleep(1000);
    }
    out.printf("Volume data: pod %s/%s, volume %s, restored from restic snapshot %s; its container reads:%n",
        namespace, ExampleBackup.NOTES_POD, ExampleBackup.NOTES_VOLUME, snapshot);
    if (!log.contains("\nEND")) {
      out.println("  (the container printed nothing yet)");
      return;
    }
    log.substring(0, log.indexOf("\nEND")).lines().forEach(l -> out.println("  | " + l));
  }
}
