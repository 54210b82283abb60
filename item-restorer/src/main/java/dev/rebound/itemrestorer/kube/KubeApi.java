package dev.rebound.itemrestorer.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plain REST calls to one target cluster through the fabric8 client's authenticated HTTP client.
 * Objects travel as the exact JSON bytes of the backup (no model conversion, so any kind, custom
 * resources included, and no silent field changes); answers come back as bytes.
 */
public final class KubeApi {

  private static final String JSON = "application/json";
  private static final String MERGE_PATCH = "application/merge-patch+json";

  private final HttpClient http;
  private final String base;
  private final Duration timeout;
  /** {@code ?dryRun=All} on every write: the API server admits and validates it, and stores nothing. */
  private final String writeQuery;

  public KubeApi(KubernetesClient client, Duration timeout) {
    this.http = client.getHttpClient();
    String url = client.getMasterUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.timeout = timeout;
    this.writeQuery = "";
  }

  private KubeApi(KubeApi api, String writeQuery) {
    this.http = api.http;
    this.base = api.base;
    this.timeout = api.timeout;
    this.writeQuery = writeQuery;
  }

  /** The same cluster, every create, patch and status update sent with {@code dryRun=All}; reads as they are. */
  public KubeApi dryRun() {
    return new KubeApi(this, "?dryRun=All");
  }

  public boolean isDryRun() {
    return !writeQuery.isEmpty();
  }

  public ApiResponse create(ApiPath path, byte[] object) {
    return send(http.newHttpRequestBuilder().uri(base + path.collection() + writeQuery).post(JSON, object));
  }

  public ApiResponse get(ApiPath path, String name) {
    return send(http.newHttpRequestBuilder().uri(base + path.item(name)));
  }

  /** A list of the collection, filtered by a label selector when it is not null. */
  public ApiResponse list(ApiPath path, String labelSelector) {
    String query = labelSelector == null ? ""
        : "?labelSelector=" + java.net.URLEncoder.encode(labelSelector, java.nio.charset.StandardCharsets.UTF_8);
    return send(http.newHttpRequestBuilder().uri(base + path.collection() + query));
  }

  /** Replaces the object's status subresource ({@code UpdateStatus}). */
  public ApiResponse replaceStatus(ApiPath path, String name, byte[] object) {
    return send(http.newHttpRequestBuilder().uri(base + path.item(name) + "/status" + writeQuery)
        .put(JSON, new java.io.ByteArrayInputStream(object), object.length));
  }

  /** An RFC 7386 merge patch, as Velero sends its update and label patches (reference 3.8). */
  public ApiResponse mergePatch(ApiPath path, String name, String patch) {
    return send(http.newHttpRequestBuilder().uri(base + path.item(name) + writeQuery).patch(MERGE_PATCH, patch));
  }

  private ApiResponse send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = http.sendAsync(request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build(),
          byte[].class).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      byte[] body = response.body() == null ? new byte[0] : response.body();
      return new ApiResponse(response.code(), body, retryAfter(response.header("Retry-After")), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ApiResponse.noAnswer("interrupted while waiting for the API server");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return ApiResponse.noAnswer(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (TimeoutException e) {
      return ApiResponse.noAnswer("no answer from the API server within " + timeout.toSeconds() + "s");
    }
  }

  private static Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
