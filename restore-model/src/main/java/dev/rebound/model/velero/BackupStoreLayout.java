package dev.rebound.model.velero;

/**
 * The object keys of Velero's backup storage layout (reference 1.1, 1.2, 1.4) under a backup
 * storage location's prefix. Every key Rebound reads or writes is made here, nowhere else.
 */
public final class BackupStoreLayout {

  private final String root;

  /** {@code prefix} as in {@code spec.objectStorage.prefix}; leading and trailing slashes are trimmed as Velero does. */
  public BackupStoreLayout(String prefix) {
    String trimmed = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    this.root = trimmed.isEmpty() ? "" : trimmed + "/";
  }

  /** The prefix every key starts with: empty, or the trimmed prefix and a slash. */
  public String root() {
    return root;
  }

  /** The common prefix under which each backup is one "directory". */
  public String backupsPrefix() {
    return root + "backups/";
  }

  public String backupMetadata(String backup) {
    return backupDir(backup) + "velero-backup.json";
  }

  public String backupTarball(String backup) {
    return backupDir(backup) + backup + ".tar.gz";
  }

  public String backupLog(String backup) {
    return backupDir(backup) + backup + "-logs.gz";
  }

  public String volumeSnapshots(String backup) {
    return backupDir(backup) + backup + "-volumesnapshots.json.gz";
  }

  public String podVolumeBackups(String backup) {
    return backupDir(backup) + backup + "-podvolumebackups.json.gz";
  }

  public String backupResourceList(String backup) {
    return backupDir(backup) + backup + "-resource-list.json.gz";
  }

  public String csiVolumeSnapshots(String backup) {
    return backupDir(backup) + backup + "-csi-volumesnapshots.json.gz";
  }

  public String backupItemOperations(String backup) {
    return backupDir(backup) + backup + "-itemoperations.json.gz";
  }

  public String backupResults(String backup) {
    return backupDir(backup) + backup + "-results.gz";
  }

  public String volumeInfo(String backup) {
    return backupDir(backup) + backup + "-volumeinfo.json.gz";
  }

  public String restoreLog(String restore) {
    return restoreDir(restore) + "restore-" + restore + "-logs.gz";
  }

  public String restoreResults(String restore) {
    return restoreDir(restore) + "restore-" + restore + "-results.gz";
  }

  public String restoreResourceList(String restore) {
    return restoreDir(restore) + "restore-" + restore + "-resource-list.json.gz";
  }

  public String restoreItemOperations(String restore) {
    return restoreDir(restore) + "restore-" + restore + "-itemoperations.json.gz";
  }

  /** Velero names this one file without the {@code restore-} prefix (reference 1.4). */
  public String restoreVolumeInfo(String restore) {
    return restoreDir(restore) + restore + "-volumeinfo.json.gz";
  }

  private String backupDir(String backup) {
    return backupsPrefix() + backup + "/";
  }

  /** The key prefix of a namespace's restic repository (reference 6.2): {@code <prefix>/restic/<namespace>}. */
  public String resticRepository(String namespace) {
    return root + "restic/" + namespace;
  }

  /**
   * Velero's restic repository identifier for an S3 location with an explicit endpoint:
   * {@code s3:<s3Url>/<bucket>/<prefix>/restic/<namespace>}.
   */
  public String resticRepositoryUrl(String s3Endpoint, String bucket, String namespace) {
    String base = s3Endpoint.endsWith("/") ? s3Endpoint.substring(0, s3Endpoint.length() - 1) : s3Endpoint;
    return "s3:" + base + "/" + bucket + "/" + resticRepository(namespace);
  }

  /**
   * Rebound's: a dry run's report (issue 14 scope 6), one entry per item with its verdict and diff;
   * Velero has no such file.
   */
  public String restoreDryRun(String restore) {
    return restoreDir(restore) + "restore-" + restore + "-dry-run.json.gz";
  }

  /** The "directory" of a restore's files. */
  public String restoreDir(String restore) {
    return root + "restores/" + restore + "/";
  }
}
