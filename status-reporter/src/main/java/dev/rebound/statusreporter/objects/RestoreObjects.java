package dev.rebound.statusreporter.objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.statusreporter.api.RestoreCancels;
import dev.rebound.statusreporter.api.RestoreIntake;
import dev.rebound.statusreporter.auth.AuthConfig;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.support.settings.ServiceSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Velero's Restore objects run by Rebound (issue 14 scope 1): a {@code restores.velero.io} created
 * in the management cluster's Velero namespace in phase {@code ""} or {@code New} is submitted
 * exactly as {@code POST /api/v1/restores} submits a body (same checks, the object's uid and
 * creation time kept), and its {@code status} is written back with Velero's fields as the restore
 * goes (a merge patch, never conflicting, at most every {@code rebound.restore-objects.status-interval}
 * per object). An object refused by the checks ends {@code FailedValidation} with the message.
 * Rebound's finalizer {@value #FINALIZER} keeps a deleted object until the restore's files are gone
 * (scope 2, Velero's delete semantics): deleting the object deletes the restore, a running one
 * canceled first. The annotation {@code rebound.dev/cancel: "true"} cancels the running restore.
 * Nothing is done while {@link VeleroServerGuard} sees a Velero server running its restore
 * controller. One status-reporter acts for each restore ({@link RestoreBook#answersFor}).
 */
@Singleton
public class RestoreObjects extends VeleroObjectWatch {

  private static final Logger LOG = Logger.getLogger(RestoreObjects.class);
  static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup("velero.io")
      .withVersion("v1").withPlural("restores").withKind("Restore").withNamespaced(true).build();
  /** Held on a Restore object Rebound runs until the restore and its files are deleted. */
  public static final String FINALIZER = "rebound.dev/restore-files";

  private final RestoreObjectsConfig config;
  private final RestoreIntake intake;
  private final RestoreCancels cancels;
  /** Per object name: the restore version last written to its status, and when. */
  private final Map<String, Written> written = new ConcurrentHashMap<>();
  /** Rebound leaves Restore objects alone while a Velero server runs its restore controller. */
  private final VeleroServerGuard.Watch guard;

  private record Written(String uid, long version, Instant at) {}

  RestoreObjects(RestoreObjectsConfig config, StatusReporterConfig statusReporter, RestoreBook book,
      RestoreIntake intake, RestoreCancels cancels, ServiceSettings settings, AuthConfig auth) {
    super(CONTEXT, statusReporter.veleroNamespace(), book, settings, auth);
    this.config = config;
    this.intake = intake;
    this.cancels = cancels;
    this.guard = new VeleroServerGuard.Watch("restore", "its restore controller, which takes every new Restore "
        + "object too; Rebound leaves them to it. Start Velero with --disable-controllers=restore, or scale it to 0, "
        + "to have Rebound restore them", "no Velero server runs its restore controller in namespace "
        + statusReporter.veleroNamespace() + ": Rebound runs the Restore objects there");
  }

  @Override
  protected boolean enabled() {
    return config.enabled();
  }

  @Override
  protected Duration sweepInterval() {
    return config.statusInterval();
  }

  /** The guard, looked at every 5 s: nothing is done while a Velero server runs its restore controller. */
  @Override
  protected boolean ready(Instant now) {
    return guard.allows(client(), namespace, now, LOG);
  }

  @Override
  protected void gone(String name) {
    written.remove(name);
  }

  @Override
  protected void handle(GenericKubernetesResource object, Instant now) {
    String name = object.getMetadata().getName();
    if (!book.answersFor(name)) {
      return; // another instance acts for this restore
    }
    // The restore's uid says whether the object is its own (the object's uid for an object Rebound
    // took, the mirror annotation for one it made); the Restore itself is built only to be written.
    String winner = book.winner(name).orElse(null);
    boolean ours = winner != null && (winner.equals(object.getMetadata().getUid())
        || winner.equals(annotation(object, RESTORE_UID)));
    boolean held = object.getMetadata().getFinalizers() != null && object.getMetadata().getFinalizers()
        .contains(FINALIZER);
    if (object.getMetadata().getDeletionTimestamp() != null) {
      if (held) {
        deleted(object, ours);
      }
      return;
    }
    if (ours) {
      if ("true".equals(annotation(object, RestoreCancels.CANCEL)) && book.current(name).map(r -> r.metadata().annotation(
          dev.rebound.statusreporter.restores.RestoreView.CANCEL_REQUESTED_BY) == null
          && (r.status() == null || r.status().phase() == null || !r.status().phase().isTerminal())).orElse(false)) {
        Response answer = cancels.cancel(name, null, false);
        LOG.infof("restore %s: canceled by the %s annotation of its Restore object (%d)", name, RestoreCancels.CANCEL,
            answer.getStatus());
      }
      writeStatus(object, held, now);
      return;
    }
    if (held) {
      // Its restore was deleted another way (DELETE /api/v1/restores): the object goes too.
      LOG.infof("restore %s was deleted: its Restore object %s/%s goes too", name, namespace, name);
      delete(name);
      return;
    }
    String phase = String.valueOf(map(object.getAdditionalProperties().get("status")).getOrDefault("phase", ""));
    if (!phase.isEmpty() && !phase.equals("New")) {
      return; // Velero's, or ended before Rebound ran it: left as it is
    }
    take(object);
  }

  /** A new Restore object: submitted as the API submits a body; refused ones end FailedValidation. */
  private void take(GenericKubernetesResource object) {
    String name = object.getMetadata().getName();
    Response answer;
    try {
      answer = intake.submitObject(Json.mapper().writeValueAsString(object));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (answer.getStatus() == 201) {
      LOG.infof("restore %s: Restore object %s/%s taken (uid %s)", name, namespace, name,
          object.getMetadata().getUid());
      hold(object);
      // Taken: New until it is planned (kubectl get -w shows New, InProgress, ... as with Velero).
      patch(name, Map.of("status", Map.of("phase", RestorePhase.NEW.value())));
      return;
    }
    if (answer.getStatus() >= 500) {
      return; // the log or the bucket is not there now: the next look tries again
    }
    String message = String.valueOf(answer.getEntity() instanceof Map<?, ?> status ? status.get("message")
        : answer.getEntity());
    LOG.warnf("restore %s: Restore object %s/%s refused: %s", name, namespace, name, message);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", "FailedValidation");
    status.put("validationErrors", List.of(message));
    patch(name, Map.of("status", status));
  }

  /** Velero's status of the restore, written when it changed, at most every status interval. */
  private void writeStatus(GenericKubernetesResource object, boolean held, Instant now) {
    String name = object.getMetadata().getName();
    String uid = object.getMetadata().getUid();
    long version = book.version(name);
    Written last = written.get(name);
    if (last != null && last.uid().equals(uid) && (last.version() == version
        || now.isBefore(last.at().plus(config.statusInterval())))) {
      return;
    }
    Optional<Restore> restore = book.current(name);
    if (restore.isEmpty()) {
      return; // deleted meanwhile
    }
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("status", objectStatus(restore.get()));
    Map<String, Object> completions = specCompletions(restore.get(), map(object.getAdditionalProperties().get("spec")));
    if (!completions.isEmpty()) {
      patch.put("spec", completions);
    }
    patch(name, patch);
    written.put(name, new Written(uid, version, now));
    if (!held) {
      hold(object);
    }
  }

  /**
   * The restore's status as Velero's Restore CRD can hold it: its {@code phase} enum has no
   * {@code Canceled}, so a canceled restore shows {@code Failed}, its failure reason saying who
   * canceled it (DESIGN, "Cancel").
   */
  static JsonNode objectStatus(Restore restore) {
    com.fasterxml.jackson.databind.node.ObjectNode status = Json.mapper().valueToTree(restore.status());
    if (restore.status() != null && restore.status().phase() == RestorePhase.CANCELED) {
      status.put("phase", RestorePhase.FAILED.value());
    }
    return status;
  }

  /**
   * What Velero's controller persists in a Restore's spec once it validated it (reference 2.5): the
   * backup a schedule resolved to and the resources always excluded. Only the fields that differ
   * from the object's are written (a merge patch), so a client's own spec fields stay.
   */
  static Map<String, Object> specCompletions(Restore restore, Map<String, Object> objectSpec) {
    Map<String, Object> completions = new LinkedHashMap<>();
    if (restore.spec() == null) {
      return completions;
    }
    if (restore.spec().backupName() != null && !restore.spec().backupName().equals(objectSpec.get("backupName"))) {
      completions.put("backupName", restore.spec().backupName());
    }
    if (restore.spec().excludedResources() != null
        && !restore.spec().excludedResources().equals(objectSpec.get("excludedResources"))) {
      completions.put("excludedResources", restore.spec().excludedResources());
    }
    return completions;
  }

  /**
   * Mirrors restores that have no Restore object (submitted through the API) as Restore objects, at
   * most {@value #MIRRORS_PER_SWEEP} per sweep: each carries {@value #RESTORE_UID} (the object's own
   * uid is the API server's), Rebound's finalizer, and its status from the start. A restore still
   * {@code New} waits: Velero's restore controller takes any object in phase {@code New}, so none is
   * made in that phase. Restores being deleted are not mirrored.
   */
  @Override
  protected void swept(Set<String> present, Instant now) {
    int made = 0;
    for (String name : book.names()) {
      if (made >= MIRRORS_PER_SWEEP) {
        return; // the next sweep goes on
      }
      if (present.contains(name) || !book.answersFor(name) || book.deleting(name).isPresent()) {
        continue;
      }
      Optional<Restore> restore = book.current(name);
      if (restore.isEmpty() || restore.get().metadata().uid() == null
          || restore.get().metadata().deletionTimestamp() != null || restore.get().status() == null
          || restore.get().status().phase() == null || restore.get().status().phase() == RestorePhase.NEW) {
        continue;
      }
      if (mirror(restore.get())) {
        made++;
      }
    }
  }

  /** Creates the Restore object of a restore; false when one of that name appeared meanwhile. */
  private boolean mirror(Restore restore) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", restore.name());
    metadata.put("namespace", namespace);
    if (restore.metadata().labels() != null) {
      metadata.put("labels", restore.metadata().labels());
    }
    Map<String, String> annotations = new java.util.TreeMap<>(Objects.requireNonNullElse(
        restore.metadata().annotations(), Map.of()));
    annotations.put(RESTORE_UID, restore.metadata().uid());
    metadata.put("annotations", annotations);
    metadata.put("finalizers", List.of(FINALIZER));
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "velero.io/v1");
    object.put("kind", "Restore");
    object.put("metadata", metadata);
    object.put("spec", Json.mapper().valueToTree(restore.spec()));
    object.put("status", objectStatus(restore));
    try {
      client().genericKubernetesResources(CONTEXT).inNamespace(namespace).resource(Json.mapper().convertValue(object,
          GenericKubernetesResource.class)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false; // made meanwhile (by a client, or a previous owner): looked at as any object
      }
      throw e;
    }
    LOG.infof("restore %s: mirrored as Restore object %s/%s", restore.name(), namespace, restore.name());
    return true;
  }

  private static String annotation(GenericKubernetesResource object, String key) {
    return object.getMetadata().getAnnotations() == null ? null : object.getMetadata().getAnnotations().get(key);
  }

  /** On a Restore object Rebound made for a restore submitted through the API: the restore's uid. */
  public static final String RESTORE_UID = "rebound.dev/restore-uid";
  static final int MIRRORS_PER_SWEEP = 40;

  /** Adds Rebound's finalizer. */
  private void hold(GenericKubernetesResource object) {
    List<String> finalizers = new ArrayList<>(Objects.requireNonNullElse(object.getMetadata().getFinalizers(),
        List.of()));
    finalizers.add(FINALIZER);
    finalizers(object, finalizers);
  }

  /**
   * A Restore object being deleted: its restore is deleted as {@code DELETE /api/v1/restores} does
   * once it has ended; the finalizer goes when the restore (its files) is gone.
   */
  private void deleted(GenericKubernetesResource object, boolean ours) {
    String name = object.getMetadata().getName();
    if (ours) {
      if (book.deleting(name).isEmpty()) {
        intake.delete(name, null); // a running restore is canceled first, and deleted once it ended
      }
      return;
    }
    // The restore is gone (or was never taken): nothing holds the object any more.
    List<String> finalizers = new ArrayList<>(object.getMetadata().getFinalizers());
    finalizers.remove(FINALIZER);
    finalizers(object, finalizers);
    written.remove(name);
    LOG.infof("restore %s: deleted with its Restore object", name);
  }

  /**
   * Sets the object's finalizers, conflict-safe: the patch names the object's resourceVersion, so
   * another controller's finalizer added meanwhile is never dropped (the object is looked at again).
   */
  private void finalizers(GenericKubernetesResource object, List<String> finalizers) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("finalizers", finalizers);
    metadata.put("resourceVersion", object.getMetadata().getResourceVersion());
    try {
      patch(object.getMetadata().getName(), Map.of("metadata", metadata));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      again(object.getMetadata().getName());
    }
  }
}
