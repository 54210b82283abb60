package dev.rebound.statusreporter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.velero.Backup;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import dev.rebound.storage.BackupStore;
import dev.rebound.storage.StorageLocations;
import dev.rebound.storage.StorageUnavailableException;
import dev.rebound.storage.SyncedBackups;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The backups a restore can name: those in the backup storage location, read from the bucket on
 * each request and shown as Velero's backup sync would create them (reference 1.6), so
 * {@code velero backup get}'s view and this one agree.
 */
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class BackupsResource {

  private static final Logger LOG = Logger.getLogger(BackupsResource.class);
  private static final String BACKUPS = "backups.velero.io";

  private final StorageLocations locations;
  private final String veleroNamespace;
  private final Clock clock = Clock.systemUTC();

  BackupsResource(StorageLocations locations, StatusReporterConfig config) {
    this.locations = locations;
    this.veleroNamespace = config.veleroNamespace();
  }

  /**
   * Every backup the sync would show, by name. As in the sync, a backup whose
   * {@code velero-backup.json} is missing or unreadable is left out (and logged).
   */
  @GET
  public Response list() {
    List<ObjectNode> items;
    try {
      items = all();
    } catch (StorageUnavailableException e) {
      return unavailable(e);
    } catch (IOException e) {
      return KubeStatus.failure(500, "InternalError", e.getMessage());
    }
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", Backup.API_VERSION);
    list.put("kind", "BackupList");
    list.put("items", items);
    return Response.ok(list).build();
  }

  /**
   * Every backup the sync would show, over every available location (the default first; a name
   * found twice is shown from the first, as the sync makes one Backup object per name); unreadable
   * ones are left out and logged.
   */
  List<ObjectNode> all() throws IOException {
    List<ObjectNode> items = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (StorageLocations.Location location : locations.all()) {
      if (!location.available()) {
        continue; // Velero's sync skips a location that is not Available
      }
      for (String name : StorageLocations.unavailableAs(location, () -> location.store().backupNames())) {
        if (!seen.add(name)) {
          continue;
        }
        try {
          synced(location, name).ifPresent(items::add);
        } catch (BackupStore.InvalidBackupMetadataException e) {
          LOG.warnf("Backup %s is not listed: %s", name, e.getMessage());
        }
      }
    }
    return items;
  }

  @GET
  @Path("{name}")
  public Response get(@PathParam("name") String name) {
    try {
      return synced(name).map(b -> Response.ok(b).build()).orElseGet(() -> KubeStatus.notFound(BACKUPS, name));
    } catch (StorageUnavailableException e) {
      return unavailable(e);
    } catch (IOException e) {
      return KubeStatus.failure(500, "InternalError", e.getMessage());
    }
  }

  private Optional<ObjectNode> synced(String name) throws IOException {
    Optional<StorageLocations.Location> location = locations.withBackup(name);
    return location.isEmpty() ? Optional.empty() : synced(location.get(), name);
  }

  private Optional<ObjectNode> synced(StorageLocations.Location location, String name) throws IOException {
    Optional<ObjectNode> stored = location.store().storedBackup(name);
    return stored.isEmpty() ? Optional.empty()
        : SyncedBackups.synced(stored.get(), veleroNamespace, location.name(), clock.instant());
  }

  Response unavailable(StorageUnavailableException e) {
    return KubeStatus.failure(503, "ServiceUnavailable", e.getMessage());
  }
}
