package dev.rebound.statusreporter.api;

import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.InlineResourceModifiers;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.model.validation.OutageTimeouts;
import dev.rebound.model.validation.RestoreSpecValidator;
import dev.rebound.statusreporter.auth.AccessControl;
import dev.rebound.statusreporter.auth.AccessFilter;
import dev.rebound.statusreporter.auth.AuthenticationException;
import dev.rebound.statusreporter.auth.Identity;
import dev.rebound.statusreporter.auth.Permission;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.statusreporter.restores.RestoreLogAppender;
import dev.rebound.statusreporter.restores.RestoreSummary;
import dev.rebound.statusreporter.restores.RestoreView;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import dev.rebound.statusreporter.restores.ClusterStatus;
import io.smallrye.mutiny.Multi;
import org.jboss.resteasy.reactive.RestStreamElementType;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.rebound.support.events.RestoreLogReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The restore API: Velero {@code velero.io/v1} Restore objects in, Restore objects with Velero's
 * status out. A submitted restore is appended to the restore log; everything read here is folded
 * from that log ({@link RestoreBook}).
 */
@Path("/api/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RestoresResource {

  /** Extension: the configured target clusters to restore into, comma-separated. */
  public static final String TARGET_CLUSTERS = "rebound.dev/target-clusters";

  /**
   * Extension: the authenticated user who submitted the restore, set by the API from the caller's
   * identity; a value in the request body is replaced, never trusted.
   */
  public static final String CREATED_BY = "rebound.dev/created-by";


  private final RestoreBook book;
  private final StatusReporterConfig config;
  private final RestoreLogAppender events;
  private final EndedRestoreFiles endedFiles;
  private final AccessControl access;
  private final CurrentVertxRequest request;
  private final NamespaceExpansion namespaces;
  private final RestoreRequests requests;
  private final Clock clock = Clock.systemUTC();

  RestoresResource(RestoreBook book, StatusReporterConfig config, RestoreLogAppender events,
      EndedRestoreFiles endedFiles, AccessControl access, CurrentVertxRequest request, NamespaceExpansion namespaces) {
    this.book = book;
    this.config = config;
    this.events = events;
    this.endedFiles = endedFiles;
    this.access = access;
    this.request = request;
    this.namespaces = namespaces;
    this.requests = new RestoreRequests(config.veleroNamespace(), clock);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @QueryParam("dryRun") String dryRun) {
    if (dryRun != null && !dryRun.equals("All")) {
      return KubeStatus.failure(400, "BadRequest", "dryRun: unsupported value \"" + dryRun + "\": only All is supported");
    }
    if (!book.historyRead()) {
      return KubeStatus.unavailable("the restore log is still being read; try again shortly", 1);
    }
    Identity caller = caller();
    Restore restore;
    try {
      restore = namespaces.expand(InlineResourceModifiers.resolve(createdBy(requests.parse(body, contentType),
          caller)));
    } catch (IllegalArgumentException e) {
      return KubeStatus.failure(400, "BadRequest", e.getMessage());
    } catch (java.io.IOException e) {
      return KubeStatus.failure(503, "ServiceUnavailable", "cannot match the restore's namespace expressions: the "
          + "backup storage location cannot be read: " + e.getMessage());
    }
    String name = restore.name();
    List<String> clusters = targetClusters(restore.metadata());
    if (clusters.isEmpty()) {
      return KubeStatus.failure(400, "BadRequest", "annotation " + TARGET_CLUSTERS + " names no cluster");
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
    if (dryRun != null) {
      return Response.ok(validated(restore)).build();
    }
    return submit(new RestoreEvent.Submitted(name, restore, clusters, clock.instant()));
  }

  /**
   * A dry run's answer: the Restore as it would be stored, and the status Velero's validation
   * (reference 2.5, the same checks and messages the coordinator applies) would give it:
   * {@code FailedValidation} with {@code validationErrors}, or {@code New}. What needs the bucket or
   * the target cluster (the backup exists, the cluster is known) is checked when the restore runs.
   */
  private static Restore validated(Restore restore) {
    RestoreSpecValidator.Outcome outcome = RestoreSpecValidator.validate(restore.spec());
    List<String> errors = new java.util.ArrayList<>(outcome.errors());
    OutageTimeouts.validate(restore).ifPresent(errors::add);
    return restore.withStatus(errors.isEmpty() ? RestoreStatus.phase(RestorePhase.NEW)
        : RestoreStatus.failedValidation(errors));
  }

  /** The authenticated caller of this request ({@link AccessFilter}). */
  private Identity caller() {
    Identity caller = request.getCurrent() == null ? null : request.getCurrent().get(AccessFilter.CALLER);
    if (caller == null) {
      throw new IllegalStateException("no caller: the access filter did not run for this request");
    }
    return caller;
  }

  /** The restore with {@value #CREATED_BY} set to the caller, whatever the body said. */
  private static Restore createdBy(Restore restore, Identity caller) {
    Map<String, String> annotations = new java.util.TreeMap<>(
        restore.metadata().annotations() == null ? Map.of() : restore.metadata().annotations());
    annotations.put(CREATED_BY, caller.username());
    ObjectMeta m = restore.metadata();
    return restore.withMetadata(new ObjectMeta(m.name(), m.namespace(), m.uid(), m.resourceVersion(),
        m.creationTimestamp(), m.labels(), annotations));
  }

  /** 403 for the first target cluster the caller may not restore into, with per-cluster access on. */
  private Optional<Response> deniedCluster(Identity caller, List<String> clusters) {
    if (!access.perClusterAccess()) {
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
   * then the restore disappears and its name is free. Only an ended restore can be deleted: a
   * running one is 409 (Rebound cannot cancel a restore yet).
   */
  @DELETE
  @Path("{name}")
  public Response delete(@PathParam("name") String name) {
    if (!book.historyRead()) {
      return KubeStatus.unavailable("the restore log is still being read; try again shortly", 1);
    }
    Identity caller = caller();
    Optional<RestoreSummary> summary = book.summary(name);
    Optional<Restore> found = summary.map(RestoreSummary::restore).or(() -> book.read(name, RestoreView::restore));
    if (found.isEmpty()) {
      return KubeStatus.notFound(name);
    }
    Restore restore = found.get();
    List<String> clusters = targetClusters(restore.metadata());
    Optional<Response> denied = deniedCluster(caller, clusters);
    if (denied.isPresent()) {
      return denied.get();
    }
    if (summary.isEmpty()) {
      String phase = restore.status() == null || restore.status().phase() == null ? RestorePhase.NEW.value()
          : restore.status().phase().value();
      return KubeStatus.failure(409, "Conflict", "restore " + name + " is " + phase + ": only a restore that has "
          + "ended can be deleted, and a running restore cannot be cancelled yet");
    }
    if (restore.metadata().deletionTimestamp() != null) {
      return Response.ok(restore).build(); // already being deleted
    }
    if (restore.metadata().uid() == null) {
      // Only a restore appended to the log by hand lacks one: a deletion could not name it.
      return KubeStatus.failure(409, "Conflict", "restore " + name + " has no metadata.uid (it was not submitted "
          + "through the API), so it cannot be deleted");
    }
    RestoreEvent.DeleteRequested request = new RestoreEvent.DeleteRequested(name, restore.metadata().uid(), clusters,
        InlineResourceModifiers.madeFor(restore) ? restore.spec().resourceModifier().name() : null,
        caller.username(), clock.instant());
    Optional<Response> undecided = appendAndRead(request, "the deletion of restore \"" + name + "\"",
        "so it cannot tell whether the deletion started: GET the restore to see", "it may still be deleted: GET "
            + "the restore to see");
    if (undecided.isPresent()) {
      return undecided.get();
    }
    return Response.ok(restore.withMetadata(restore.metadata().deleting(
        book.deleting(name).map(RestoreEvent.DeleteRequested::at).orElse(request.at())))).build();
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

  private List<String> targetClusters(ObjectMeta metadata) {
    String annotation = metadata.annotation(TARGET_CLUSTERS);
    if (annotation == null) {
      return List.of(config.defaultCluster());
    }
    return List.copyOf(new LinkedHashSet<>(Arrays.stream(annotation.split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).toList()));
  }

  /**
   * A {@code RestoreList}: every restore oldest first, or ({@link RestoreQuery}) those matching
   * {@code search}, {@code cluster}, {@code phase} (comma-separated Velero phases) and
   * {@code createdBy}, {@code sort=newest} first, {@code limit} per page with Kubernetes'
   * {@code continue} token.
   */
  @GET
  public Response list(@QueryParam("search") String search, @QueryParam("cluster") String cluster,
      @QueryParam("phase") String phase, @QueryParam("createdBy") String createdBy, @QueryParam("sort") String sort,
      @QueryParam("limit") Integer limit, @QueryParam("continue") String continueToken) {
    RestoreQuery query;
    try {
      query = RestoreQuery.of(search, cluster, phase, createdBy, sort, limit, continueToken);
    } catch (IllegalArgumentException e) {
      return KubeStatus.failure(400, "BadRequest", e.getMessage());
    }
    return Response.ok(query.page(book.all(), config.defaultCluster())).build();
  }

  /**
   * Server-sent events of one restore: its Restore object now, then again whenever it changed (looked
   * at every 250 ms, sent at most that often), until it ends; {@code curl -N} shows them as they come.
   */
  @GET
  @Path("{name}/watch")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  public Multi<Restore> watch(@PathParam("name") String name) {
    if (!book.contains(name)) {
      throw new WebApplicationException(KubeStatus.notFound(name));
    }
    return RestoreWatch.of(name, book);
  }

  /** Each target cluster's part of the restore ({@link ClusterStatus}). */
  @GET
  @Path("{name}/clusters")
  public Response clusters(@PathParam("name") String name) {
    return found(name, RestoreView::clusterStatuses, s -> Response.ok(s.clusters() == null ? List.of()
        : s.clusters()).build());
  }

  @GET
  @Path("{name}")
  public Response get(@PathParam("name") String name) {
    return found(name, RestoreView::restore, s -> Response.ok(s.restore()).build());
  }

  @GET
  @Path("{name}/results")
  public Response results(@PathParam("name") String name) {
    return found(name, RestoreView::results, endedFiles::results);
  }

  @GET
  @Path("{name}/resources")
  public Response resources(@PathParam("name") String name) {
    return found(name, RestoreView::resourceList, endedFiles::resourceList);
  }

  @GET
  @Path("{name}/logs")
  @Produces(MediaType.TEXT_PLAIN)
  public Response logs(@PathParam("name") String name) {
    return book.read(name, RestoreView::log).map(r -> Response.ok(r, MediaType.TEXT_PLAIN).build())
        .or(() -> book.summary(name).map(endedFiles::log))
        .orElseGet(() -> KubeStatus.notFound(name));
  }

  /**
   * 200 with what {@code reading} returns of a restore not ended, else what {@code ended} answers
   * for an ended one, or Kubernetes' 404 when there is no such restore.
   */
  private Response found(String name, java.util.function.Function<RestoreView, Object> reading,
      java.util.function.Function<RestoreSummary, Response> ended) {
    return book.read(name, reading).map(r -> Response.ok(r).build()).or(() -> book.summary(name).map(ended))
        .orElseGet(() -> KubeStatus.notFound(name));
  }

}
