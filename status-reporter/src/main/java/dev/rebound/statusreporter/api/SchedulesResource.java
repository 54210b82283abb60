package dev.rebound.statusreporter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.storage.StorageUnavailableException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The schedules a restore can name ({@code spec.scheduleName}), from the backups in the bucket. */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SchedulesResource {

  private final BackupsResource backups;

  SchedulesResource(BackupsResource backups) {
    this.backups = backups;
  }

  /**
   * {@code GET /api/v1/schedules}: the schedules the bucket's backups came from (their
   * {@code velero.io/schedule-name} label), each with the backup a restore naming the schedule would
   * use now, chosen as Velero's restore controller chooses it (reference 2.1): the newest by
   * {@code status.startTimestamp} whose phase is exactly {@code Completed}; none if there is no such.
   */
  @GET
  public Response schedules() {
    Map<String, ObjectNode> latest = new java.util.TreeMap<>();
    Map<String, Integer> counts = new java.util.TreeMap<>();
    try {
      scan(latest, counts);
    } catch (StorageUnavailableException e) {
      return backups.unavailable(e);
    } catch (IOException e) {
      return KubeStatus.failure(500, "InternalError", e.getMessage());
    }
    List<Map<String, Object>> items = new ArrayList<>();
    latest.forEach((schedule, backup) -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", schedule);
      item.put("backups", counts.get(schedule));
      if (backup != null) {
        item.put("latestBackup", backup.path("metadata").path("name").asText());
        item.put("latestBackupStartTimestamp", backup.path("status").path("startTimestamp").asText(null));
      }
      items.add(item);
    });
    return Response.ok(Map.of("items", items)).build();
  }

  /** The backup a restore naming {@code schedule} would use now, if there is one. */
  java.util.Optional<String> latestBackup(String schedule) throws IOException {
    Map<String, ObjectNode> latest = new java.util.TreeMap<>();
    scan(latest, new java.util.TreeMap<>());
    return java.util.Optional.ofNullable(latest.get(schedule)).map(b -> b.path("metadata").path("name").asText());
  }

  /** Per schedule: its latest Completed backup (null if none) and how many backups it has. */
  private void scan(Map<String, ObjectNode> latest, Map<String, Integer> counts) throws IOException {
    for (ObjectNode backup : backups.all()) {
      String schedule = backup.path("metadata").path("labels").path("velero.io/schedule-name").asText("");
      if (schedule.isEmpty()) {
        continue;
      }
      counts.merge(schedule, 1, Integer::sum);
      latest.putIfAbsent(schedule, null);
      if (!"Completed".equals(backup.path("status").path("phase").asText())) {
        continue;
      }
      ObjectNode best = latest.get(schedule);
      if (best == null || startOf(backup).compareTo(startOf(best)) > 0) {
        latest.put(schedule, backup);
      }
    }
  }

  /** A backup's {@code status.startTimestamp}, nil as the zero time (sorted first), as Velero sorts. */
  private static String startOf(ObjectNode backup) {
    return backup.path("status").path("startTimestamp").asText("0000");
  }

}
