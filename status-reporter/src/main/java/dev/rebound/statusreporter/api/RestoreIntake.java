package dev.rebound.statusreporter.api;

import dev.rebound.model.pipeline.RestoreCancel;
import dev.rebound.support.messaging.CancelFences;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.validation.RestoreAnnotations;
import dev.rebound.model.validation.RestoreSpecValidator;
import dev.rebound.model.velero.InlineResourceModifiers;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.statusreporter.auth.AccessControl;
import dev.rebound.statusreporter.auth.AuthenticationException;
import dev.rebound.statusreporter.auth.Identity;
import dev.rebound.statusreporter.auth.Permission;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.statusreporter.restores.RestoreLogAppender;
import dev.rebound.statusreporter.restores.RestoreSummary;
import dev.rebound.statusreporter.restores.RestoreView;
import dev.rebound.support.events.RestoreLogReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the restore API's writes do, whoever asks: a submission (after parsing) and a deletion, each
 * decided by the restore log, answered as the API answers ({@link Response}s with Kubernetes
 * {@code Status} bodies). {@link RestoresResource} serves them over HTTP; Restore objects in the
 * management cluster come in through the same checks.
 */
@ApplicationScoped
public class RestoreIntake {

  private final RestoreBook book;
  private final StatusReporterConfig config;
  private final RestoreLogAppender events;
  private final AccessControl access;
  private final NamespaceExpansion namespaces;
  private final Clock clock = Clock.systemUTC();
  private final RestoreRequests requests;
  private final CancelFences fences;
  private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RestoreIntake.class);

  RestoreIntake(RestoreBook book, StatusReporterConfig config, RestoreLogAppender events, AccessControl access,
      NamespaceExpansion namespaces, CancelFences fences) {
    this.fences = fences;
    this.book = book;
    this.config = config;
    this.events = events;
    this.access = access;
    this.namespaces = namespaces;
    this.requests = new RestoreRequests(config.veleroNamespace(), clock);
  }

  /**
   * Submits a parsed Restore ({@link RestoreRequests}) as {@code caller} (null for a Restore object):
   * {@code 201} with the stored Restore once the log gave it the name, or the API's refusal.
   *
   * @param dryRun check only: {@code 200} with the Restore as it would be stored and its validation
   */
  public Response submit(Restore parsed, Identity caller, boolean dryRun) {
    Restore restore;
    try {
      restore = namespaces.expand(InlineResourceModifiers.resolve(createdBy(parsed, caller)));
    } catch (IllegalArgumentException e) {
      return KubeStatus.failure(400, "BadRequest", e.getMessage());
    } catch (java.io.IOException e) {
      return KubeStatus.failure(503, "ServiceUnavailable", "cannot match the restore's namespace expressions: the "
          + "backup storage location cannot be read: " + e.getMessage());
    }
    String name = restore.name();
    List<String> clusters = targetClusters(restore.metadata());
    if (clusters.isEmpty()) {
      return KubeStatus.failure(400, "BadRequest", "annotation " + RestoresResource.TARGET_CLUSTERS + " names no cluster");
    }
    Optional<Response> denied = deniedCluster(caller, clusters);
    if (denied.isPresent()) {
      return denied.get();
    }
    if (book.deleting(name).isPresent()) {
      // The API server's words for a name whose object its finalizers still hold.
      return KubeStatus.failure(409, "AlreadyExists", "object is being deleted: restores.velero.io \"" + name
          + "\" already exists");
    }
    if (book.contains(name)) {
      return alreadyExists(name); // fast path: the log already gave the name away
    }
    if (dryRun) {
      return Response.ok(validated(restore, clusters)).build();
    }
    return submit(new RestoreEvent.Submitted(name, restore, clusters, clock.instant()));
  }

  /**
   * A Restore object of the management cluster (its JSON) as a submission: checked as the API checks
   * a body, and keeping the object's uid and creation time, so the restore and its object are one.
   * No caller: Rebound cannot know who made the object (the cluster's RBAC on restores.velero.io
   * decided that), so it has no {@value RestoresResource#CREATED_BY}.
   */
  public Response submitObject(String json) {
    Restore parsed;
    try {
      parsed = requests.parseObject(json);
    } catch (IllegalArgumentException e) {
      return KubeStatus.failure(400, "BadRequest", e.getMessage());
    }
    return submit(parsed, null, false);
  }

  /**
   * A dry run's answer: the Restore as it would be stored, and the status Velero's validation
   * (reference 2.5, the same checks and messages the coordinator applies) would give it:
   * {@code FailedValidation} with {@code validationErrors}, or {@code New}. What needs the bucket or
   * the target cluster (the backup exists, the cluster is known) is checked when the restore runs.
   */
  private static Restore validated(Restore restore, List<String> clusters) {
    RestoreSpecValidator.Outcome outcome = RestoreSpecValidator.validate(restore.spec());
    List<String> errors = new java.util.ArrayList<>(outcome.errors());
    errors.addAll(RestoreAnnotations.errors(restore, clusters));
    return restore.withStatus(errors.isEmpty() ? RestoreStatus.phase(RestorePhase.NEW)
        : RestoreStatus.failedValidation(errors));
  }

  /** The restore with {@value RestoresResource#CREATED_BY} set to the caller, whatever the body said; none for a Restore object (Rebound cannot know who made it). */
  private static Restore createdBy(Restore restore, Identity caller) {
    Map<String, String> annotations = new java.util.TreeMap<>(
        restore.metadata().annotations() == null ? Map.of() : restore.metadata().annotations());
    if (caller == null) {
      annotations.remove(RestoresResource.CREATED_BY);
    } else {
      annotations.put(RestoresResource.CREATED_BY, caller.username());
    }
    ObjectMeta m = restore.metadata();
    return restore.withMetadata(new ObjectMeta(m.name(), m.namespace(), m.uid(), m.resourceVersion(),
        m.creationTimestamp(), m.labels(), annotations));
  }

  /** 403 for the first target cluster the caller may not restore into, with per-cluster access on. */
  Optional<Response> deniedCluster(Identity caller, List<String> clusters) {
    if (caller == null || !access.perClusterAccess()) {
      return Optional.empty();
    }
    for (String cluster : clusters) {
      Permission into = Permission.restoreInto(cluster, config.veleroNamespace());
      try {
        if (!access.allows(caller, into)) {
          return Optional.of(KubeStatus.forbidden(into, caller.username()));
        }
      } catch (AuthenticationException e) {
        return Optional.of(KubeStatus.failure(503, "ServiceUnavailable", e.getMessage()));
      }
    }
    return Optional.empty();
  }

  /**
   * Appends the submission, then reads the log up to it: the name is this submission's only if the
   * first {@code Submitted} of that name in the log is this one (its uid), whichever instance
   * appended the others. A submission that lost stays in the log; every reader ignores it.
   */
  private Response submit(RestoreEvent.Submitted submitted) {
    String name = submitted.restore();
    String uid = submitted.request().metadata().uid();
    Optional<Response> undecided = appendAndRead(submitted, "restore \"" + name + "\"",
        "so it cannot tell whether it won the name; it may still have been accepted: GET it before submitting it again",
        "it may still have been accepted: GET it before submitting it again");
    if (undecided.isPresent()) {
      return undecided.get();
    }
    if (!uid.equals(book.winner(name).orElse(null))) {
      return alreadyExists(name);
    }
    return Response.status(201).entity(submitted.request()).build();
  }

  /**
   * Appends an event, then waits until this instance's book has read the log up to it, within
   * {@code rebound.status-reporter.submission-timeout}.
   *
   * @return a 503 saying what is undecided when either did not happen in time, else empty
   */
  private Optional<Response> appendAndRead(RestoreEvent event, String what, String unread, String unacknowledged) {
    Duration timeout = config.submissionTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    RestoreLogReader.Position position;
    try {
      position = events.append(event, timeout);
    } catch (RuntimeException e) {
      String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Optional.of(undecided("the restore log did not acknowledge " + what + " (waited at most "
          + timeout.toSeconds() + "s: " + cause + "); " + unacknowledged));
    }
    boolean read;
    try {
      read = book.awaitDelivered(position.partition(), position.offset(),
          Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      read = false;
    }
    if (!read) {
      return Optional.of(undecided(what + " was appended to the restore log (partition " + position.partition()
          + ", offset " + position.offset() + ") but this instance did not read the log up to it within "
          + timeout.toSeconds() + "s, " + unread));
    }
    return Optional.empty();
  }

  /**
   * Deletes a restore with Velero's semantics (reference 8.5: the restore goes once its files under
   * {@code restores/<name>/} are removed), and the ConfigMap made for its inline resource modifiers
   * in each target cluster. Super-admins only (the access filter), and with per-cluster access
   * only those allowed on every cluster of the restore. Answers at once with the Restore carrying
   * {@code metadata.deletionTimestamp}, as the API server answers for an object its finalizer
   * holds: the coordinator that drives the restore's partition removes the files and ConfigMaps,
   * then the restore disappears and its name is free. A running restore is canceled first
   * ({@link RestoreCancels#cancel}) and deleted once it ended.
   *
   * @param caller who asks; null for a Restore object deleted in the management cluster
   */
  public Response delete(String name, Identity caller) {
    Optional<RestoreSummary> summary = book.summary(name);
    Optional<Restore> found = book.current(name);
    if (found.isEmpty()) {
      return KubeStatus.notFound(name);
    }
    Restore restore = found.get();
    List<String> clusters = targetClusters(restore.metadata());
    Optional<Response> denied = deniedCluster(caller, clusters);
    if (denied.isPresent()) {
      return denied.get();
    }
    if (restore.metadata().deletionTimestamp() != null) {
      return Response.ok(restore).build(); // already being deleted
    }
    if (restore.metadata().uid() == null) {
      // Only a restore appended to the log by hand lacks one: a deletion could not name it.
      return KubeStatus.failure(409, "Conflict", "restore " + name + " has no metadata.uid (it was not submitted "
          + "through the API), so it cannot be deleted");
    }
    String by = caller == null ? "the deletion of Restore object " + config.veleroNamespace() + "/" + name
        : caller.username();
    if (summary.isEmpty() && restore.metadata().annotation(RestoreView.CANCEL_REQUESTED_BY) == null) {
      // A running restore is canceled first (Velero's delete semantics, reference 8.5, without its
      // leak: velero#9190); it is deleted once the cancel ended it.
      Optional<Response> undecided = requestCancel(restore, by, " before its deletion");
      if (undecided.isPresent()) {
        return undecided.get();
      }
    }
    RestoreEvent.DeleteRequested request = new RestoreEvent.DeleteRequested(name, restore.metadata().uid(), clusters,
        InlineResourceModifiers.madeFor(restore) ? restore.spec().resourceModifier().name() : null, by,
        clock.instant(), restore.metadata().annotation(dev.rebound.storage.StorageLocations.FILES_ANNOTATION));
    Optional<Response> undecided = appendAndRead(request, "the deletion of restore \"" + name + "\"",
        "so it cannot tell whether the deletion started: GET the restore to see", "it may still be deleted: GET "
            + "the restore to see");
    if (undecided.isPresent()) {
      return undecided.get();
    }
    return Response.ok(restore.withMetadata(restore.metadata().deleting(book.deleting(name)
        .or(() -> book.read(name, v -> Optional.ofNullable(v.deletion())).flatMap(d -> d)
            .map(RestoreView.PendingDeletion::request))
        .map(RestoreEvent.DeleteRequested::at).orElse(request.at())))).build();
  }

  /**
   * Appends the cancel of a running restore and reads the log up to it, then fences its items off
   * at once ({@link CancelFences}): they stop even while no coordinator runs. A fence that fails
   * is only logged: the coordinator that drives the restore writes it too.
   *
   * @return a 503 saying what is undecided when the cancel may not be in the log, else empty
   */
  Optional<Response> requestCancel(Restore restore, String by, String context) {
    String name = restore.name();
    RestoreEvent.CancelRequested request = new RestoreEvent.CancelRequested(name, restore.metadata().uid(), by,
        clock.instant());
    Optional<Response> undecided = appendAndRead(request, "the cancel of restore \"" + name + "\"" + context,
        "so it cannot tell whether the cancel was taken: GET the restore to see", "it may still be canceled: GET "
            + "the restore to see");
    if (undecided.isEmpty()) {
      try {
        fences.fence(new RestoreCancel(name, request.uid(), request.at()));
      } catch (RuntimeException e) {
        LOG.warnf("restore %s: its cancel is in the log but its fence could not be written (%s); the coordinator "
            + "writes it", name, e.getMessage());
      }
    }
    return undecided;
  }

  /**
   * 503 without {@code Retry-After}: the submission may have won its name, so a client must not
   * send it again blindly (a repeat would get 409 for a restore that exists because of it).
   */
  private static Response undecided(String message) {
    return KubeStatus.failure(503, "ServiceUnavailable", message);
  }

  private static Response alreadyExists(String name) {
    return KubeStatus.failure(409, "AlreadyExists", "restores.velero.io \"" + name + "\" already exists");
  }

  /** The restore's target clusters: its {@value RestoresResource#TARGET_CLUSTERS} annotation, else the default one. */
  List<String> targetClusters(ObjectMeta metadata) {
    return targetClusters(metadata, config.defaultCluster());
  }

  /**
   * The target clusters a Restore names: its {@value RestoresResource#TARGET_CLUSTERS} annotation
   * (comma-separated, each once, in order), else {@code defaultCluster}.
   */
  static List<String> targetClusters(ObjectMeta metadata, String defaultCluster) {
    String annotation = metadata.annotation(RestoresResource.TARGET_CLUSTERS);
    if (annotation == null) {
      return List.of(defaultCluster);
    }
    return List.copyOf(new LinkedHashSet<>(Arrays.stream(annotation.split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).toList()));
  }
}
