package dev.rebound.statusreporter.objects;

import dev.rebound.model.velero.BackupStoreLayout;
import dev.rebound.statusreporter.auth.AuthConfig;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.storage.BackupStore;
import dev.rebound.storage.StorageLocations;
import dev.rebound.support.settings.ServiceSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * Velero's DownloadRequests for Rebound's restores (issue 14 scope 3), answered as Velero's
 * download-request controller answers them, so {@code velero restore logs} and
 * {@code velero restore describe --details} can fetch a restore's files: a new request (phase
 * {@code ""} or {@code New}) for {@code RestoreLog}, {@code RestoreResults},
 * {@code RestoreResourceList}, {@code RestoreItemOperations} or {@code RestoreVolumeInfo} gets a
 * pre-signed URL of that file under {@code restores/<name>/}, phase {@code Processed} and an
 * expiration {@code rebound.download-requests.url-ttl} (10 minutes, Velero's {@code DownloadURLTTL})
 * away; a request past its expiration is deleted, whatever its phase. A request naming no restore
 * gets only its expiration, as Velero's does, and goes then. Requests for other kinds (a backup's
 * files) are left to Velero. One instance answers for each restore ({@link RestoreBook#answersFor}).
 */
@Singleton
public class DownloadRequests extends VeleroObjectWatch {

  private static final Logger LOG = Logger.getLogger(DownloadRequests.class);
  static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup("velero.io")
      .withVersion("v1").withPlural("downloadrequests").withKind("DownloadRequest").withNamespaced(true).build();
  static final String PROCESSED = "Processed";
  /** The restore target kinds and where each file is (reference 1.4). */
  private static final Map<String, BiFunction<BackupStoreLayout, String, String>> KINDS = Map.of(
      "RestoreLog", BackupStoreLayout::restoreLog,
      "RestoreResults", BackupStoreLayout::restoreResults,
      "RestoreResourceList", BackupStoreLayout::restoreResourceList,
      "RestoreItemOperations", BackupStoreLayout::restoreItemOperations,
      "RestoreVolumeInfo", BackupStoreLayout::restoreVolumeInfo);
  /** Velero looks for expired requests every minute; a shorter TTL is looked for as often as it lasts. */
  private static final Duration EXPIRY_SWEEP = Duration.ofMinutes(1);

  private final DownloadRequestsConfig config;
  private final StorageLocations locations;

  DownloadRequests(DownloadRequestsConfig config, StatusReporterConfig statusReporter, RestoreBook book,
      StorageLocations locations, ServiceSettings settings, AuthConfig auth) {
    super(CONTEXT, statusReporter.veleroNamespace(), book, settings, auth);
    this.config = config;
    this.locations = locations;
  }

  @Override
  protected boolean enabled() {
    return config.enabled();
  }

  @Override
  protected Duration sweepInterval() {
    return config.urlTtl().compareTo(EXPIRY_SWEEP) < 0 ? config.urlTtl() : EXPIRY_SWEEP;
  }

  @Override
  protected void handle(GenericKubernetesResource request, Instant now) {
    String name = request.getMetadata().getName();
    Map<String, Object> status = map(request.getAdditionalProperties().get("status"));
    Optional<Instant> expiration = instant(status.get("expiration"));
    if (expiration.isPresent() && expiration.get().isBefore(now)) {
      delete(name); // Velero deletes an expired request whatever its phase
      return;
    }
    if (PROCESSED.equals(status.get("phase")) || expiration.isPresent()) {
      return; // answered: a URL, or only the expiration (no such restore), which must not move on
    }
    Map<String, Object> target = map(map(request.getAdditionalProperties().get("spec")).get("target"));
    String kind = String.valueOf(target.get("kind"));
    String restore = target.get("name") == null ? null : String.valueOf(target.get("name"));
    if (!KINDS.containsKey(kind) || restore == null) {
      return; // a backup's files: Velero's
    }
    if (!book.answersFor(restore)) {
      return; // another instance answers for this restore
    }
    Instant expires = now.plus(config.urlTtl()).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> answer = new LinkedHashMap<>();
    if (book.contains(restore)) {
      // The files are where they were stored: the location recorded on the restore, or Rebound's own store.
      BackupStore store;
      try {
        store = locations.storeOf(book.current(restore).map(r -> r.metadata().annotation(
            StorageLocations.FILES_ANNOTATION)).orElse(null));
      } catch (java.io.IOException e) {
        LOG.warnf("DownloadRequest %s/%s: %s; answered later", namespace, name, e.getMessage());
        return;
      }
      answer.put("phase", PROCESSED);
      answer.put("downloadURL", store.signedUrl(KINDS.get(kind).apply(store.layout(), restore), config.urlTtl()));
    } else {
      LOG.warnf("DownloadRequest %s/%s asks for the %s of restore %s, which does not exist: only its expiration is "
          + "set (Velero's answer), and it is deleted then", namespace, name, kind, restore);
    }
    answer.put("expiration", expires.toString());
    patch(name, Map.of("status", answer));
  }

  private static Optional<Instant> instant(Object value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(String.valueOf(value)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
