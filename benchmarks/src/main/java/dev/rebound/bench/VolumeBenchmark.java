package dev.rebound.bench;

import dev.rebound.fixtures.ResticRepository;
import dev.rebound.fixtures.VolumeTrees;
import dev.rebound.servers.S3Server;
import dev.rebound.volumerestorer.restic.ResticRestore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Restore throughput of one large volume (issue 11, acceptance 4): a mixed tree of at least 2 GiB
 * (large, medium and small files of incompressible data) backed up by the real {@code restic} into
 * the local S3 server at Velero's path, then restored in the same run, alternately, by
 * {@code restic restore} itself and by the volume-restorer's data path ({@link ResticRestore}, the
 * code a PodVolumeRestore runs, with and without {@code writeSparseFiles}). Prints MB/s and the
 * ratio to restic; checks once that Rebound's restore equals the source. What it leaves out: the
 * PodVolumeRestore's orchestration around the data path (a poll interval, three status patches),
 * which does not grow with the volume. Run with {@code scripts/bench-volume.sh [MiB] [rounds]}.
 */
public final class VolumeBenchmark {

  private static final String BUCKET = "bench-volumes";

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int status = 0;
    Path dir = Files.createTempDirectory("rebound-volume-bench");
    try {
      run(dir, mib, rounds);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      deleteTree(dir);
    }
    System.exit(status); // no client thread keeps the JVM
  }

  private static void run(Path dir, long mib, int rounds) throws Exception {
    System.out.printf("%d cores, %d MB heap, restic %s%n", Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, version());
    Path source = dir.resolve("source");
    long bytes = write(source, mib << 20);
    long files;
    try (Stream<Path> all = Files.walk(source)) {
      files = all.filter(Files::isRegularFile).count();
    }
    System.out.printf("volume: %d files, %.0f MB%n", files, bytes / 1e6);
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      s3.createBucket(BUCKET);
      measure(dir, source, bytes, rounds, s3);
    }
  }

  private static void measure(Path dir, Path source, long bytes, int rounds, S3Server s3) throws Exception {
    ResticRepository repo = new ResticRepository(s3.endpoint(), BUCKET, "", "bench", s3.accessKey(), s3.secretKey(),
        S3Server.REGION, ResticRepository.VELERO_DEFAULT_PASSWORD, dir.resolve("cache-backup"));
    repo.init();
    long start = System.nanoTime();
    String snapshot = repo.backup(source, Map.of("volume", "data"));
    System.out.printf("restic backup: %.1f s%n", (System.nanoTime() - start) / 1e9);

    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
        "AWS_DEFAULT_REGION", S3Server.REGION);
    ResticRestore rebound = new ResticRestore("restic", dir.resolve("cache-rebound"), env);
    List<Double> restic = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    List<Double> sparse = new ArrayList<>();
    boolean checked = false;
    for (int round = 1; round <= rounds; round++) {
      // Odd rounds start with restic, even rounds with Rebound: neither always gets the warmer cache.
      Path resticTarget = dir.resolve("restic");
      Step resticStep = () -> restic.add(timed(() -> resticRestore(repo.identifier(), snapshot, resticTarget, dir,
          env)));
      if (round % 2 == 1) {
        resticStep.run();
        deleteTree(resticTarget);
      }
      Path target = Files.createDirectories(dir.resolve("rebound"));
      plain.add(timed(() -> rebound.run(new ResticRestore.Request(repo.identifier(), null, snapshot, target, false, 0),
          ResticRepository.VELERO_DEFAULT_PASSWORD)));
      if (!checked) {
        if (!VolumeTrees.describe(source).equals(VolumeTrees.describe(target))) {
          throw new IllegalStateException("Rebound's restore differs from the backed-up volume");
        }
        checked = true;
      }
      deleteTree(target);
      Path holes = Files.createDirectories(dir.resolve("rebound-sparse"));
      sparse.add(timed(() -> rebound.run(new ResticRestore.Request(repo.identifier(), null, snapshot, holes, true, 0),
          ResticRepository.VELERO_DEFAULT_PASSWORD)));
      deleteTree(holes);
      if (round % 2 == 0) {
        resticStep.run();
        deleteTree(resticTarget);
      }
    }
    double base = median(restic);
    System.out.printf("%n%-44s %10s %10s %8s%n", "restore (median of " + rounds + " rounds)", "seconds", "MB/s",
        "ratio");
    row("restic restore", base, bytes, base);
    row("Rebound volume-restorer", median(plain), bytes, base);
    row("Rebound volume-restorer, writeSparseFiles", median(sparse), bytes, base);
    System.out.println("the restored volume was checked equal to the backed-up one (bytes, modes, owners, mtimes, links)");
  }

  private static void row(String what, double seconds, long bytes, double base) {
    System.out.printf("%-44s %10.1f %10.1f %8.2f%n", what, seconds, bytes / 1e6 / seconds, base / seconds);
  }

  private interface Step {
    void run() throws Exception;
  }

  private static double timed(Step step) throws Exception {
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** {@code restic restore} as a user would run it, into a fresh directory. */
  private static void resticRestore(String repository, String snapshot, Path target, Path dir,
      Map<String, String> env) throws Exception {
    Files.createDirectories(target);
    ProcessBuilder restore = new ProcessBuilder("restic", "restore", "--repo=" + repository, "--cache-dir="
        + dir.resolve("cache-restic"), snapshot, "--target=" + target).redirectErrorStream(true);
    restore.environment().putAll(env);
    restore.environment().put("RESTIC_PASSWORD", ResticRepository.VELERO_DEFAULT_PASSWORD);
    Process p = restore.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("restic restore failed: " + out);
    }
  }

  /** Three kinds of files in equal shares: 256 MiB ones, 1-8 MiB ones, 4-124 KiB ones in 64 directories. */
  private static long write(Path root, long total) throws IOException {
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    long written = 0;
    long share = total / 3;
    for (int i = 0; written < share; i++) {
      written += file(root.resolve("large/blob-" + i), Math.min(256L << 20, share - written), random, chunk);
    }
    for (int i = 0; written < 2 * share; i++) {
      written += file(root.resolve("medium/part-" + i), Math.min((1 + random.nextInt(8)) << 20, 2 * share - written),
          random, chunk);
    }
    for (int i = 0; written < total; i++) {
      written += file(root.resolve("small/d" + (i % 64) + "/f-" + i), Math.min((4 + random.nextInt(121)) << 10,
          total - written), random, chunk);
    }
    return written;
  }

  private static long file(Path path, long size, Random random, byte[] chunk) throws IOException {
    Files.createDirectories(path.getParent());
    try (OutputStream out = Files.newOutputStream(path)) {
      for (long left = size; left > 0; left -= chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
    return size;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String version() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("restic", "version").start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out.replaceFirst("^restic ", "").replaceFirst(" compiled.*", "");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
