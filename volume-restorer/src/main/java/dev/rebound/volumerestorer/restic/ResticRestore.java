package dev.rebound.volumerestorer.restic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code restic restore} of a pod volume's snapshot into the volume's directory, as Velero's
 * restic uploader runs it: {@code restic restore --repo=<repo> --password-file=<file> <snapshot>
 * --target=.} in the volume directory.
 *
 * <p>{@code writeSparseFiles}: Velero adds {@code --sparse}, which Debian's restic 0.14 does not
 * have; instead every restored regular file of at least {@value #SPARSE_MIN_BYTES} bytes has its
 * zero-filled blocks turned into holes ({@code fallocate --dig-holes}) and its mtime put back, which
 * leaves the same allocation as restic's option (blocks only where the data is not zero).
 *
 * <p>{@code parallelFilesDownload}, which Velero refuses for restic ("restic does not support
 * parallel restore"), is passed as restic's S3 connection limit ({@code -o s3.connections=N}),
 * which bounds restic's concurrent downloads; 0 or unset leaves restic's default.
 */
public final class ResticRestore implements AutoCloseable {

  /**
   * What a restore asks of restic.
   *
   * @param environment the S3 region and credentials of the repository's location, in place of this
   *     instance's; null for this instance's
   */
  public record Request(String repository, Map<String, String> environment, String snapshotId, Path target,
      boolean sparse, int parallelDownloads) {}

  /** restic failed: its exit code and what it printed last. */
  public static final class ResticException extends Exception {
    public ResticException(String message) {
      super(message);
    }
  }

  private final String command;
  private final Path cacheDir;
  private final Map<String, String> environment;
  private final java.util.Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param environment the S3 credentials and region restic reads ({@code AWS_ACCESS_KEY_ID},
   *     {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_DEFAULT_REGION})
   */
  public ResticRestore(String command, Path cacheDir, Map<String, String> environment) {
    this.command = command;
    this.cacheDir = cacheDir;
    this.environment = Map.copyOf(environment);
  }

  /** Files smaller than this are left as restic wrote them when making files sparse. */
  static final long SPARSE_MIN_BYTES = 64 * 1024;

  /** Zero-filled blocks of the restored files become holes; mtimes are put back. */
  private void digHoles(Path root) throws IOException, InterruptedException, ResticException {
    List<Path> files;
    try (java.util.stream.Stream<Path> all = Files.walk(root)) {
      files = all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).filter(p -> {
        try {
          return Files.size(p) >= SPARSE_MIN_BYTES && !root.relativize(p).startsWith(".velero");
        } catch (IOException e) {
          return false;
        }
      }).toList();
    }
    for (int from = 0; from < files.size(); from += 256) {
      List<Path> batch = files.subList(from, Math.min(files.size(), from + 256));
      Map<Path, java.nio.file.attribute.FileTime> mtimes = new java.util.HashMap<>();
      for (Path f : batch) {
        mtimes.put(f, Files.getLastModifiedTime(f, java.nio.file.LinkOption.NOFOLLOW_LINKS));
      }
      List<String> command = new ArrayList<>(List.of("sh", "-c",
          "for f do fallocate --dig-holes -- \"$f\" || exit 1; done", "sh"));
      batch.forEach(f -> command.add(f.toString()));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      running.add(process);
      try {
        byte[] out = process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
          throw new ResticException("making restored files sparse: " + new String(out, StandardCharsets.UTF_8).strip());
        }
      } finally {
        running.remove(process);
      }
      for (Map.Entry<Path, java.nio.file.attribute.FileTime> e : mtimes.entrySet()) {
        Files.setLastModifiedTime(e.getKey(), e.getValue());
      }
    }
  }

  /** Stops every restic this instance started (the service is stopping; the restores run again after). */
  @Override
  public void close() {
    running.forEach(Process::destroyForcibly);
  }

  /** The command line, without the password, for logs and tests. */
  public List<String> commandLine(Request request, Path passwordFile) {
    List<String> line = new ArrayList<>(List.of(command, "restore", "--repo=" + request.repository(),
        "--password-file=" + passwordFile, "--cache-dir=" + cacheDir, request.snapshotId(), "--target=."));
    if (request.parallelDownloads() > 0) {
      line.add("--option=s3.connections=" + request.parallelDownloads());
    }
    return line;
  }

  /**
   * Runs restic and waits for it.
   *
   * @param password the repository password, handed to restic in a file only it reads
   */
  public void run(Request request, String password) throws ResticException, IOException, InterruptedException {
    Path passwordFile = Files.createTempFile("rebound-repo-password-", "",
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(passwordFile, password);
      Files.createDirectories(cacheDir);
      ProcessBuilder builder = new ProcessBuilder(commandLine(request, passwordFile)).directory(request.target().toFile())
          .redirectErrorStream(true);
      if (request.environment() == null) {
        builder.environment().putAll(environment);
      } else {
        // Another location's keys: none of this process's own may mix with them.
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        builder.environment().putAll(request.environment());
      }
      Process process = builder.start();
      running.add(process);
      byte[] out;
      int exit;
      try {
        out = process.getInputStream().readAllBytes();
        exit = process.waitFor();
      } finally {
        running.remove(process);
      }
      if (exit != 0) {
        String text = new String(out, StandardCharsets.UTF_8).strip();
        List<String> lines = text.lines().toList();
        String tail = String.join("; ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        throw new ResticException("restic restore exited with " + exit + ": " + tail);
      }
      if (request.sparse()) {
        digHoles(request.target());
      }
    } finally {
      Files.deleteIfExists(passwordFile);
    }
  }
}
