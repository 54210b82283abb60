package dev.rebound.coordinator.archive;

import java.util.List;
import java.util.Optional;

/**
 * Where a tar entry sits in Velero's backup layout (reference 1.3). Item paths are
 * {@code resources/<groupResource>/<versionDir?>/<cluster | namespaces/<ns>>/<name>.json}; the
 * version directory is absent at the legacy path, which is the one Velero enumerates items from.
 *
 * @param groupResource {@code resource.group}, or the resource alone for the core group
 * @param versionDir null at the legacy path, else e.g. {@code v1-preferredversion} or {@code v2beta2}
 * @param namespace null for cluster-scoped items
 * @param name the item's name (file name without {@code .json})
 */
public record ArchivePath(String groupResource, String versionDir, String namespace, String name) {

  public static final String RESOURCES_DIR = "resources";
  public static final String METADATA_VERSION = "metadata/version";
  public static final String PREFERRED_VERSION_SUFFIX = "-preferredversion";

  public boolean legacy() {
    return versionDir == null;
  }

  public boolean clusterScoped() {
    return namespace == null;
  }

  /** The version of a preferred-version directory ({@code v1} of {@code v1-preferredversion}). */
  public Optional<String> preferredVersion() {
    return versionDir != null && versionDir.endsWith(PREFERRED_VERSION_SUFFIX)
        ? Optional.of(versionDir.substring(0, versionDir.length() - PREFERRED_VERSION_SUFFIX.length()))
        : Optional.empty();
  }

  /** The entry name at which Velero writes this item. */
  public String entryName() {
    StringBuilder s = new StringBuilder(RESOURCES_DIR).append('/').append(groupResource).append('/');
    if (versionDir != null) {
      s.append(versionDir).append('/');
    }
    s.append(namespace == null ? "cluster/" : "namespaces/" + namespace + "/");
    return s.append(name).append(".json").toString();
  }

  /**
   * Classifies an entry name: an item path, or empty for any other file (which Velero ignores).
   * A name that could escape the archive (absolute, {@code ..}, empty or backslash segments) is
   * never an item: {@link #checkSafe} rejects it first.
   */
  public static Optional<ArchivePath> parse(String entryName) {
    List<String> parts = List.of(entryName.split("/", -1));
    if (parts.size() < 4 || !parts.get(0).equals(RESOURCES_DIR) || !parts.get(parts.size() - 1).endsWith(".json")) {
      return Optional.empty();
    }
    String gr = parts.get(1);
    String file = parts.get(parts.size() - 1);
    String name = file.substring(0, file.length() - ".json".length());
    List<String> scope = parts.subList(2, parts.size() - 1);
    String versionDir = null;
    if (!scope.isEmpty() && !scope.get(0).equals("cluster") && !scope.get(0).equals("namespaces")) {
      versionDir = scope.get(0);
      scope = scope.subList(1, scope.size());
    }
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (scope.size() == 1 && scope.get(0).equals("cluster")) {
      return Optional.of(new ArchivePath(gr, versionDir, null, name));
    }
    if (scope.size() == 2 && scope.get(0).equals("namespaces")) {
      return Optional.of(new ArchivePath(gr, versionDir, scope.get(1), name));
    }
    return Optional.empty();
  }

  /** Fails for an entry name that is not a plain relative path inside the archive. */
  public static void checkSafe(String entryName) throws CorruptBackupException {
    boolean unsafe = entryName.isEmpty() || entryName.startsWith("/") || entryName.contains("\\")
        || entryName.indexOf('\0') >= 0;
    for (String part : entryName.split("/", -1)) {
      unsafe |= part.equals("..") || part.equals(".");
    }
    if (unsafe) {
      throw new CorruptBackupException("tar entry \"" + entryName + "\" is not a relative path inside the backup "
          + "archive (path traversal); refusing to read the backup");
    }
  }
}
