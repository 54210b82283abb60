package dev.rebound.volumerestorer.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.fixtures.ResticRepository;
import dev.rebound.fixtures.VolumeTrees;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data fidelity of a file-system restore (issue 11 scope 2): a repository written by the real
 * {@code restic} binary into the real S3 server at Velero's path, restored by {@link ResticRestore},
 * compared entry by entry: bytes, directories, modes, owners, mtimes, symlinks, hard links, empty
 * files, a file larger than restic's pack size, and a sparse file's allocation.
 */
class ResticRestoreIT {

  private static final String BUCKET = "restic-it";
  private static S3Server s3;

  @BeforeAll
  static void bucket() throws Exception {
    s3 = LocalServers.s3();
    s3.createBucket(BUCKET);
  }

  private static ResticRepository repository(String namespace, String password, Path cache) {
    return new ResticRepository(s3.endpoint(), BUCKET, "cluster-a", namespace, s3.accessKey(), s3.secretKey(),
        S3Server.REGION, password, cache);
  }

  private static ResticRestore restorer(Path cache) {
    return new ResticRestore("restic", cache, Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY",
        s3.secretKey(), "AWS_DEFAULT_REGION", S3Server.REGION));
  }

  @Test
  void everyKindOfEntryComesBackExactlyAndSparseFilesStaySparse(@TempDir Path tmp) throws Exception {
    String namespace = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    Path source = tmp.resolve("source");
    VolumeTrees.write(source, 40L << 20); // restic 0.14 packs are 4-16 MiB: this file spans several
    ResticRepository repo = repository(namespace, ResticRepository.VELERO_DEFAULT_PASSWORD, tmp.resolve("cache-b"));
    repo.init();
    String snapshot = repo.backup(source, Map.of("ns", namespace, "volume", "data"));

    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Path sparse = Files.createDirectories(tmp.resolve("sparse"));
    ResticRestore restic = restorer(tmp.resolve("cache-r"));
    restic.run(new ResticRestore.Request(repo.identifier(), null, snapshot, plain, false, 0),
        ResticRepository.VELERO_DEFAULT_PASSWORD);
    restic.run(new ResticRestore.Request(repo.identifier(), null, snapshot, sparse, true, 4),
        ResticRepository.VELERO_DEFAULT_PASSWORD);

    Map<String, String> expected = VolumeTrees.describe(source);
    assertEquals(expected, VolumeTrees.describe(plain));
    assertEquals(expected, VolumeTrees.describe(sparse), "with writeSparseFiles and parallelFilesDownload 4");
    long written = VolumeTrees.allocated(plain.resolve(VolumeTrees.SPARSE));
    long holey = VolumeTrees.allocated(sparse.resolve(VolumeTrees.SPARSE));
    assertTrue(written >= VolumeTrees.SPARSE_LENGTH, "without --sparse every block is written: " + written);
    assertTrue(holey < (16L << 20), "with --sparse only the written extents are allocated: " + holey);
  }

  @Test
  void aWrongPasswordAndAMissingSnapshotAreRefusedWithResticsWords(@TempDir Path tmp) throws Exception {
    String namespace = "bad-" + UUID.randomUUID().toString().substring(0, 6);
    Path source = Files.createDirectories(tmp.resolve("source"));
    Files.writeString(source.resolve("a.txt"), "a");
    ResticRepository repo = repository(namespace, "s3cr3t", tmp.resolve("cache-b"));
    repo.init();
    String snapshot = repo.backup(source, Map.of());
    ResticRestore restic = restorer(tmp.resolve("cache-r"));
    Path target = Files.createDirectories(tmp.resolve("target"));

    ResticRestore.ResticException wrong = assertThrows(ResticRestore.ResticException.class, () -> restic.run(
        new ResticRestore.Request(repo.identifier(), null, snapshot, target, false, 0), ResticRepository.VELERO_DEFAULT_PASSWORD));
    assertTrue(wrong.getMessage().startsWith("restic restore exited with 1: "), wrong.getMessage());
    assertTrue(wrong.getMessage().contains("wrong password or no key found"), wrong.getMessage());

    ResticRestore.ResticException missing = assertThrows(ResticRestore.ResticException.class, () -> restic.run(
        new ResticRestore.Request(repo.identifier(), null, "0123abcd", target, false, 0), "s3cr3t"));
    assertTrue(missing.getMessage().contains("no matching ID found"), missing.getMessage());
    assertEquals(List.of(), List.of(target.toFile().list()), "nothing restored");
  }
}
