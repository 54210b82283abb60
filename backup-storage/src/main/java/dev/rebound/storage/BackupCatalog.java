package dev.rebound.storage;

import dev.rebound.model.velero.Backup;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The backups a restore can name: those in the backup storage location. */
public interface BackupCatalog {

  /** Every backup whose {@code velero-backup.json} is readable. */
  List<Backup> list() throws IOException;

  /** The backup named {@code name}, or empty when its {@code velero-backup.json} does not exist. */
  Optional<Backup> get(String name) throws IOException;
}
