package dev.rebound.volumerestorer.restic;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A volume's file tree with every kind of entry a file-system backup must carry (issue 11 scope 2),
 * and a description of a tree precise enough to compare two byte for byte: per path its type,
 * mode, owner, mtime, size, SHA-256, link target and inode group (hard links), and for the sparse
 * file its allocated bytes.
 */
final class VolumeTrees {

  static final String SPARSE = "db/sparse.img";
  static final long SPARSE_LENGTH = 256L << 20;

  private VolumeTrees() {}

  /** Writes the tree under {@code root}; {@code largeBytes} sizes the file that spans several restic packs. */
  static void write(Path root, long largeBytes) throws IOException {
    Random random = new Random(11);
    Files.createDirectories(root.resolve("db/wal"));
    Files.createDirectories(root.resolve("empty-dir"));
    Files.writeString(root.resolve("db/PG_VERSION"), "16\n");
    Files.write(root.resolve("db/empty"), new byte[0]);
    byte[] chunk = new byte[1 << 20];
    try (var out = Files.newOutputStream(root.resolve("db/wal/000000010000000000000001"))) {
      for (long written = 0; written < largeBytes; written += chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, largeBytes - written));
      }
    }
    for (int i = 0; i < 40; i++) {
      byte[] small = new byte[random.nextInt(9000)];
      random.nextBytes(small);
      Files.write(root.resolve("db/base-" + i + ".dat"), small);
    }
    Files.writeString(root.resolve("db/postgresql.conf"), "listen_addresses = '*'\n", StandardCharsets.UTF_8);
    Files.createSymbolicLink(root.resolve("db/current"), Path.of("wal/000000010000000000000001"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere/at/all"));
    Files.createLink(root.resolve("db/hardlink.conf"), root.resolve("db/postgresql.conf"));
    // A sparse file: 256 MiB long, two 1 MiB extents written.
    try (RandomAccessFile f = new RandomAccessFile(root.resolve(SPARSE).toFile(), "rw")) {
      f.setLength(SPARSE_LENGTH);
      random.nextBytes(chunk);
      f.seek(4L << 20);
      f.write(chunk);
      f.seek(200L << 20);
      f.write(chunk);
    }
    Files.setPosixFilePermissions(root.resolve("db/postgresql.conf"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(root.resolve("db/wal"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(root.resolve("db/base-3.dat"), PosixFilePermissions.fromString("r--r-----"));
    Files.setAttribute(root.resolve("db/postgresql.conf"), "unix:uid", 999);
    Files.setAttribute(root.resolve("db/postgresql.conf"), "unix:gid", 998);
    Files.setAttribute(root.resolve("db/wal"), "unix:uid", 999);
    Files.setAttribute(root.resolve("db/current"), "unix:uid", 1001, LinkOption.NOFOLLOW_LINKS);
    FileTime old = FileTime.fromMillis(1_600_000_000_000L);
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        if (!Files.isSymbolicLink(p)) {
          Files.setLastModifiedTime(p, old); // deepest first, so directories keep theirs
        }
      }
    }
  }

  /** Every entry below {@code root} (the done-file directory excluded), described. */
  static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    Map<Object, String> inodes = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted().toList()) {
        String rel = root.relativize(p).toString();
        if (rel.isEmpty() || rel.startsWith(".velero")) {
          continue;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,size,ino,nlink",
            LinkOption.NOFOLLOW_LINKS);
        StringBuilder d = new StringBuilder();
        d.append(Files.isSymbolicLink(p) ? "link->" + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file");
        d.append(" mode=").append(Integer.toOctalString((Integer) a.get("mode") & 07777));
        d.append(" owner=").append(a.get("uid")).append(':').append(a.get("gid"));
        if (!Files.isSymbolicLink(p)) {
          d.append(" mtime=").append(a.get("lastModifiedTime"));
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          d.append(" size=").append(a.get("size")).append(" sha256=").append(sha256(p));
          if ((Integer) a.get("nlink") > 1) {
            String first = inodes.putIfAbsent(a.get("ino"), rel);
            d.append(" hardlink-group=").append(first == null ? rel : first);
          }
        }
        tree.put(rel, d.toString());
      }
    }
    return tree;
  }

  /** Bytes the file system allocated for the file ({@code stat %b * %B}). */
  static long allocated(Path file) throws IOException, InterruptedException {
    Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
    String[] out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
    stat.waitFor();
    return Long.parseLong(out[0]) * Long.parseLong(out[1]);
  }

  static String sha256(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
