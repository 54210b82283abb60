package dev.rebound.itemrestorer.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.kube.ApiPath;
import dev.rebound.itemrestorer.kube.ApiResponse;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemTask;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A target namespace, ensured as Velero's {@code EnsureNamespaceExistsAndIsReady} does (reference
 * 3.5): created from the backed-up namespace when missing, waited for while terminating, and
 * recorded only when this restore created it.
 */
final class NamespaceRestore {

  private final KubeApi api;
  private final Retrying retrying;
  private final ItemRestore.Waits waits;
  private final Retrying.Sleeper sleeper;
  private final Clock clock;

  NamespaceRestore(KubeApi api, Retrying retrying, ItemRestore.Waits waits, Retrying.Sleeper sleeper, Clock clock) {
    this.api = api;
    this.retrying = retrying;
    this.waits = waits;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** Reference 3.5: namespaces are ensured, never created through the generic path, never labelled. */
  void ensure(ItemTask task, Outcome outcome) throws InterruptedException {
    String name = task.key().name();
    ApiPath path = new ApiPath("", "v1", ItemRestore.NAMESPACES, null);
    Instant deadline = clock.instant().plus(waits.terminatingResourceTimeout());
    ObjectNode desired = namespaceObject(task.object(), name);
    Instant[] unanswered = {null}; // when the first create whose answer was lost was sent
    while (true) {
      ApiResponse existing = retrying.call(() -> api.get(path, name));
      if (existing.ok()) {
        if (!terminating(existing.object())) {
          if (unanswered[0] != null && createdBy(existing.object(), desired, unanswered[0])) {
            outcome.action = ItemAction.CREATED;
            outcome.log("Namespace " + name + " created (the answer to the create was lost; the namespace found "
                + "is the one it made)");
            return;
          }
          outcome.log("Namespace " + name + " already exists");
          return; // Velero records nothing for a namespace that existed
        }
        if (!clock.instant().isBefore(deadline)) {
          outcome.veleroError("timed out waiting for terminating namespace " + name
              + " to disappear before restoring: timed out waiting for the condition");
          return;
        }
        sleeper.sleep(waits.pollInterval());
        continue;
      }
      if (existing.code() != 404) {
        outcome.veleroError("error getting namespace " + name + ": " + existing.message());
        return;
      }
      ApiResponse created = retrying.call(() -> {
        Instant sent = clock.instant();
        ApiResponse answer = api.create(path, ItemRestore.bytes(desired));
        if (answer.code() == 0 && unanswered[0] == null) {
          unanswered[0] = sent;
        }
        return answer;
      });
      if (created.ok()) {
        outcome.action = ItemAction.CREATED;
        outcome.log("Namespace " + name + " created");
        return;
      }
      if (created.code() == 409 && created.reason().equals("AlreadyExists")) {
        continue; // created meanwhile by someone else: check it again (it may be terminating)
      }
      outcome.veleroError("error creating namespace " + name + ": " + created.message());
      return;
    }
  }

  /**
   * Whether a namespace found after a create whose answer never came is that create's work: it was
   * made no earlier than the second before the create was sent (creationTimestamp has whole seconds)
   * and carries exactly the labels and annotations sent. A namespace's name is its only key and
   * Velero does not label namespaces, so this is the evidence there is; without it a create that the
   * API server did, but whose answer a proxy or the network lost, would make the namespace count as
   * existing before the restore (reference 3.5 records only created namespaces).
   */
  static boolean createdBy(ObjectNode found, ObjectNode sent, Instant sentAt) {
    JsonNode metadata = found.path("metadata");
    Instant created;
    try {
      created = Instant.parse(metadata.path("creationTimestamp").asText(""));
    } catch (DateTimeParseException e) {
      return false;
    }
    return !created.isBefore(sentAt.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1))
        && withoutSystemLabels(metadata.path("labels")).equals(withoutSystemLabels(sent.path("metadata").path("labels")))
        && objectOrEmpty(metadata.path("annotations")).equals(objectOrEmpty(sent.path("metadata").path("annotations")));
  }

  /** The API server adds {@code kubernetes.io/metadata.name} to every namespace (1.21+). */
  private static JsonNode withoutSystemLabels(JsonNode labels) {
    ObjectNode copy = (ObjectNode) objectOrEmpty(labels).deepCopy();
    copy.remove("kubernetes.io/metadata.name");
    return copy;
  }

  private static JsonNode objectOrEmpty(JsonNode node) {
    return node.isObject() ? node : Json.mapper().createObjectNode();
  }

  /** Velero copies kind, apiVersion, labels, annotations and spec of the backed-up namespace. */
  static ObjectNode namespaceObject(ObjectNode backedUp, String targetName) {
    ObjectNode ns = Json.mapper().createObjectNode();
    ns.put("apiVersion", backedUp.path("apiVersion").asText("v1"));
    ns.put("kind", backedUp.path("kind").asText("Namespace"));
    ObjectNode metadata = ns.putObject("metadata");
    metadata.put("name", targetName);
    JsonNode from = backedUp.path("metadata");
    if (from.path("labels").isObject()) {
      metadata.set("labels", from.get("labels"));
    }
    if (from.path("annotations").isObject()) {
      metadata.set("annotations", from.get("annotations"));
    }
    if (backedUp.path("spec").isObject()) {
      ns.set("spec", backedUp.get("spec"));
    }
    return ns;
  }

  static boolean terminating(ObjectNode ns) {
    return ns.path("metadata").hasNonNull("deletionTimestamp") || "Terminating".equals(ns.path("status").path("phase").asText());
  }
}
