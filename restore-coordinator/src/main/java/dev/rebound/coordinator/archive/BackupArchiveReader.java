package dev.rebound.coordinator.archive;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a Velero backup tarball as a stream (reference 1.3), never extracting it to disk and never
 * holding more than one item in memory. Items are handed over from their legacy path, which is
 * where Velero enumerates them; the version directories are only recorded (for 3.9).
 */
public final class BackupArchiveReader {

  /** Receives the items of a backup in archive order. */
  public interface ItemHandler {
    /** An item at its legacy path, with its JSON bytes (at most the configured limit). */
    void item(ArchivePath path, byte[] json);

    /** An item larger than the limit: its content was skipped, never read into memory. */
    void oversized(ArchivePath path, long size);
  }

  /**
   * What the archive holds besides items.
   *
   * @param formatVersion the content of {@code metadata/version}, or null if absent
   * @param hasResources whether the {@code resources/} directory exists; without it Velero
   *     restores nothing and warns "zero items to be restored"
   * @param versions per group-resource, the version directories present
   * @param preferredVersions per group-resource, the source cluster's preferred version
   */
  public record Summary(String formatVersion, boolean hasResources, Map<String, SortedSet<String>> versions,
      Map<String, String> preferredVersions, long items) {}

  private final long maxItemBytes;

  public BackupArchiveReader(long maxItemBytes) {
    this.maxItemBytes = maxItemBytes;
  }

  public long maxItemBytes() {
    return maxItemBytes;
  }

  /**
   * Reads the gzip-compressed tar from {@code source}. A malformed archive is a
   * {@link CorruptBackupException}; a failure of the source itself (the download) stays an
   * {@link IOException}.
   */
  public Summary read(InputStream source, ItemHandler handler) throws CorruptBackupException, IOException {
    return read(source, handler, Map.of());
  }

  /**
   * Reads as {@link #read(InputStream, ItemHandler)}, but the items of a resource listed in
   * {@code versionDirs} are handed over from that version directory instead of the legacy path
   * (reference 3.9, {@code EnableAPIGroupVersions}).
   */
  public Summary read(InputStream source, ItemHandler handler, Map<String, String> versionDirs)
      throws CorruptBackupException, IOException {
    String formatVersion = null;
    boolean hasResources = false;
    long items = 0;
    Map<String, SortedSet<String>> versions = new TreeMap<>();
    Map<String, String> preferred = new TreeMap<>();
    SourceGuard guarded = new SourceGuard(source);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(guarded))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        ArchivePath.checkSafe(name);
        if (name.equals(ArchivePath.RESOURCES_DIR) || name.startsWith(ArchivePath.RESOURCES_DIR + "/")) {
          hasResources = true;
        }
        if (!entry.isFile()) {
          continue;
        }
        if (name.equals(ArchivePath.METADATA_VERSION)) {
          formatVersion = new String(tar.readNBytes(64), StandardCharsets.UTF_8).strip();
          continue;
        }
        var path = ArchivePath.parse(name);
        if (path.isEmpty()) {
          continue;
        }
        ArchivePath p = path.get();
        String chosenDir = versionDirs.get(p.groupResource());
        if (!p.legacy()) {
          versions.computeIfAbsent(p.groupResource(), k -> new TreeSet<>())
              .add(p.preferredVersion().orElse(p.versionDir()));
          p.preferredVersion().ifPresent(v -> preferred.put(p.groupResource(), v));
          if (!p.versionDir().equals(chosenDir)) {
            continue;
          }
        } else if (chosenDir != null) {
          continue;
        }
        items++;
        if (entry.getSize() > maxItemBytes) {
          handler.oversized(p, entry.getSize());
          continue;
        }
        byte[] json = tar.readNBytes((int) entry.getSize());
        if (json.length != entry.getSize()) {
          throw new EOFException("entry " + name + " ends after " + json.length + " of " + entry.getSize() + " bytes");
        }
        handler.item(p, json);
      }
    } catch (SourceFailure e) {
      throw e.getCause();
    } catch (IOException e) {
      if (guarded.failure != null) {
        throw guarded.failure;
      }
      throw new CorruptBackupException("backup tarball is truncated or corrupt: " + describe(e), e);
    }
    return new Summary(formatVersion, hasResources, versions, preferred, items);
  }

  private static String describe(IOException e) {
    if (e instanceof EOFException) {
      return "unexpected end of data" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Remembers a failure of the underlying source so it is not mistaken for a corrupt archive. */
  private static final class SourceGuard extends FilterInputStream {
    private IOException failure;

    SourceGuard(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw new SourceFailure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw new SourceFailure(e);
      }
    }
  }

  /** Carries a source failure through the decompressors, which may wrap or replace it. */
  private static final class SourceFailure extends IOException {
    SourceFailure(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }
}
