package dev.rebound.statusreporter.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.model.Json;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.RestoreStatus;
import java.time.Clock;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/restores}: a Restore in JSON or YAML, checked as the API server
 * would check it (kind, namespace, name, the spec's types) and completed as the API server and
 * Velero's CLI would complete it (default name, uid, creation time, phase {@code New}). Every
 * problem is an {@link IllegalArgumentException} with the message the API answers {@code 400} with.
 */
final class RestoreRequests {

  /** Kubernetes object names (DNS-1123 subdomain), as the API server would require of a Restore. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final String veleroNamespace;
  private final Clock clock;

  RestoreRequests(String veleroNamespace, Clock clock) {
    this.veleroNamespace = veleroNamespace;
    this.clock = clock;
  }

  /** A Restore from JSON or YAML, completed as the API server and Velero's CLI would complete it. */
  Restore parse(String body, String contentType) {
    return parse(body, contentType, false);
  }

  /**
   * A Restore object of the management cluster (its JSON), checked and completed as a body is, but
   * keeping the uid and creation time the API server gave it, so the restore and its object are one.
   */
  Restore parseObject(String json) {
    return parse(json, "application/json", true);
  }

  private Restore parse(String body, String contentType, boolean keepIdentity) {
    if (body == null || body.isBlank()) {
      throw new IllegalArgumentException("the request body is empty: a velero.io/v1 Restore (JSON or YAML) is required");
    }
    boolean yaml = contentType != null && contentType.toLowerCase().contains("yaml");
    ObjectMapper mapper = yaml ? Json.yaml() : Json.mapper();
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid " + (yaml ? "YAML" : "JSON") + " in the request body: "
          + e.getOriginalMessage() + locationOf(e));
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the request body must be a velero.io/v1 Restore object");
    }
    String apiVersion = node.path("apiVersion").asText(Restore.API_VERSION);
    String kind = node.path("kind").asText(Restore.KIND);
    if (!apiVersion.equals(Restore.API_VERSION) || !kind.equals(Restore.KIND)) {
      throw new IllegalArgumentException("expected apiVersion " + Restore.API_VERSION + " and kind " + Restore.KIND
          + ", got " + apiVersion + " " + kind);
    }
    Restore parsed;
    try {
      parsed = Json.mapper().treeToValue(node, Restore.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException("invalid Restore: " + message
          + (e instanceof JsonProcessingException j ? fieldOf(j) : ""));
    }
    RestoreSpec spec = parsed.spec() == null ? RestoreSpec.fromBackup(null) : parsed.spec();
    if (spec.itemOperationTimeout() != null && !spec.itemOperationTimeout().isEmpty()) {
      // A metav1.Duration: Velero's controller could not even decode a Restore with a bad one (its
      // CLI refuses the flag), so it is refused here, with Go's message, rather than run with the default.
      try {
        dev.rebound.model.velero.GoDurations.parseMillis(spec.itemOperationTimeout());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("spec.itemOperationTimeout: Invalid value: \""
            + spec.itemOperationTimeout() + "\": " + e.getMessage());
      }
    }
    ObjectMeta metadata = parsed.metadata() == null ? ObjectMeta.named(null) : parsed.metadata();
    String namespace = metadata.namespace() == null || metadata.namespace().isEmpty() ? veleroNamespace
        : metadata.namespace();
    if (!namespace.equals(veleroNamespace)) {
      throw new IllegalArgumentException("restores must be created in the Velero namespace \""
          + veleroNamespace + "\", not \"" + namespace + "\"");
    }
    String name = metadata.name();
    if (name == null || name.isEmpty()) {
      boolean hasSource = notEmpty(spec.backupName()) || notEmpty(spec.scheduleName());
      name = Restore.defaultName(hasSource ? spec.backupName() : null, hasSource ? spec.scheduleName() : "restore",
          clock.instant(), ZoneId.systemDefault());
    }
    if (name.length() > 253 || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("metadata.name: Invalid value: \"" + name + "\": a lowercase RFC 1123 "
          + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with "
          + "an alphanumeric character");
    }
    boolean kept = keepIdentity && metadata.uid() != null;
    ObjectMeta completed = new ObjectMeta(name, namespace, kept ? metadata.uid() : java.util.UUID.randomUUID().toString(),
        null, kept && metadata.creationTimestamp() != null ? metadata.creationTimestamp() : clock.instant(),
        metadata.labels(), metadata.annotations());
    return new Restore(Restore.API_VERSION, Restore.KIND, completed, spec, RestoreStatus.phase(RestorePhase.NEW));
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }

  private static String fieldOf(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (var ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      return " (at " + path + ")";
    }
    return "";
  }

}
