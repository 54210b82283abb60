package dev.rebound.statusreporter.api;

import dev.rebound.model.velero.Restore;
import dev.rebound.statusreporter.auth.AccessFilter;
import dev.rebound.statusreporter.auth.Identity;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import dev.rebound.statusreporter.restores.RestoreBook;
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
import java.time.Clock;
import java.util.List;
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
  private final EndedRestoreFiles endedFiles;
  private final CurrentVertxRequest request;
  private final RestoreIntake intake;
  private final RestoreCancels cancels;
  private final RestoreRequests requests;

  RestoresResource(RestoreBook book, StatusReporterConfig config, EndedRestoreFiles endedFiles,
      CurrentVertxRequest request, RestoreIntake intake, RestoreCancels cancels) {
    this.cancels = cancels;
    this.book = book;
    this.config = config;
    this.endedFiles = endedFiles;
    this.request = request;
    this.intake = intake;
    this.requests = new RestoreRequests(config.veleroNamespace(), Clock.systemUTC());
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
    Restore parsed;
    try {
      parsed = requests.parse(body, contentType);
    } catch (IllegalArgumentException e) {
      return KubeStatus.failure(400, "BadRequest", e.getMessage());
    }
    return intake.submit(parsed, caller, dryRun != null);
  }

  /**
   * Deletes a restore with Velero's semantics ({@link RestoreIntake#delete}): super-admins only (the
   * access filter), and with per-cluster access only those allowed on every cluster of the restore.
   */
  @DELETE
  @Path("{name}")
  public Response delete(@PathParam("name") String name) {
    if (!book.historyRead()) {
      return KubeStatus.unavailable("the restore log is still being read; try again shortly", 1);
    }
    return intake.delete(name, caller());
  }

  /**
   * Cancels a running restore ({@link RestoreCancels#cancel}): super-admins only (the access filter),
   * and with per-cluster access only those allowed on every cluster of the restore.
   */
  @POST
  @Path("{name}/cancel")
  @Consumes(MediaType.WILDCARD)
  public Response cancel(@PathParam("name") String name) {
    if (!book.historyRead()) {
      return KubeStatus.unavailable("the restore log is still being read; try again shortly", 1);
    }
    return cancels.cancel(name, caller());
  }

  /** The authenticated caller of this request ({@link AccessFilter}). */
  private Identity caller() {
    Identity caller = request.getCurrent() == null ? null : request.getCurrent().get(AccessFilter.CALLER);
    if (caller == null) {
      throw new IllegalStateException("no caller: the access filter did not run for this request");
    }
    return caller;
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

  /**
   * A dry run's report ({@code rebound.dev/dry-run}): per item what the restore would do (create,
   * update, skip, fail), with the diff against the live object; 404 for a restore that is no dry run.
   */
  @GET
  @Path("{name}/dry-run")
  public Response dryRun(@PathParam("name") String name) {
    Optional<Response> running = book.read(name, v -> dev.rebound.model.pipeline.DryRun.requested(v.restore())
        ? Response.ok(v.dryRun()).build() : KubeStatus.failure(404, "NotFound", "restore \"" + name
        + "\" is not a dry run (annotation " + dev.rebound.model.pipeline.DryRun.ANNOTATION + ")"));
    return running.or(() -> book.summary(name).map(endedFiles::dryRun)).orElseGet(() -> KubeStatus.notFound(name));
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
