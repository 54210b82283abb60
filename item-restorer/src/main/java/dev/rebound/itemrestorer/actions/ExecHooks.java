package dev.rebound.itemrestorer.actions;

import dev.rebound.model.velero.GoDurations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.filter.IncludesExcludes;
import dev.rebound.model.filter.LabelSelectors;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.velero.RestoreSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Velero's {@code GroupRestoreExecHooks} (reference 3.13): the post-restore exec hooks of a pod it
 * created. An exec hook on the pod's annotations wins; otherwise every {@code exec} post hook of
 * every spec hook whose namespaces (the pod's target namespace) and label selector match, in spec
 * order. A hook without a container runs in the pod's first container. Timeouts that do not parse
 * are ignored (Velero logs a warning), as is an {@code on-error} other than {@code Continue} or
 * {@code Fail}.
 */
public final class ExecHooks {

  static final String COMMAND = "post.hook.restore.velero.io/command";
  static final String CONTAINER = "post.hook.restore.velero.io/container";
  static final String ON_ERROR = "post.hook.restore.velero.io/on-error";
  static final String EXEC_TIMEOUT = "post.hook.restore.velero.io/exec-timeout";
  static final String WAIT_TIMEOUT = "post.hook.restore.velero.io/wait-timeout";
  static final String WAIT_FOR_READY = "post.hook.restore.velero.io/wait-for-ready";

  private ExecHooks() {}

  /**
   * @param pod the pod as created (target namespace, labels, annotations)
   * @param log receives Velero's warnings about values it ignores
   */
  public static List<ExecHook> of(ObjectNode pod, RestoreSpec spec, List<String> log) {
    JsonNode containers = pod.path("spec").path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      return List.of();
    }
    String first = containers.get(0).path("name").asText("");
    Map<String, String> annotations = strings(pod.path("metadata").path("annotations"));
    String command = annotations.getOrDefault(COMMAND, "");
    if (!command.isEmpty()) {
      String onError = annotations.getOrDefault(ON_ERROR, "");
      String container = annotations.getOrDefault(CONTAINER, "");
      return List.of(new ExecHook(ExecHook.FROM_ANNOTATION, ExecHook.SOURCE_ANNOTATION, 0,
          container.isEmpty() ? first : container, InitRestoreHookAction.parseCommand(command),
          onError.equals("Continue") || onError.equals("Fail") ? onError : "",
          duration(annotations.get(EXEC_TIMEOUT), "exec timeout", log),
          duration(annotations.get(WAIT_TIMEOUT), "wait timeout", log),
          bool(annotations.get(WAIT_FOR_READY), log)));
    }
    List<ExecHook> hooks = new ArrayList<>();
    if (spec == null || spec.hooks() == null || spec.hooks().resources() == null) {
      return hooks;
    }
    String namespace = pod.path("metadata").path("namespace").asText("");
    Map<String, String> labels = strings(pod.path("metadata").path("labels"));
    for (RestoreSpec.RestoreResourceHookSpec resource : spec.hooks().resources()) {
      if (resource == null || !new IncludesExcludes(resource.includedNamespaces(), resource.excludedNamespaces())
          .shouldInclude(namespace) || !LabelSelectors.matches(resource.labelSelector(), labels)) {
        continue;
      }
      List<RestoreSpec.RestoreResourceHook> postHooks = resource.postHooks() == null ? List.of() : resource.postHooks();
      for (int i = 0; i < postHooks.size(); i++) {
        RestoreSpec.ExecRestoreHook exec = postHooks.get(i) == null ? null : postHooks.get(i).exec();
        if (exec == null) {
          continue;
        }
        hooks.add(new ExecHook(resource.name(), ExecHook.SOURCE_SPEC, i,
            exec.container() == null || exec.container().isEmpty() ? first : exec.container(), exec.command(),
            exec.onError(), duration(exec.execTimeout(), "exec timeout", log),
            duration(exec.waitTimeout(), "wait timeout", log), Boolean.TRUE.equals(exec.waitForReady())));
      }
    }
    return hooks;
  }

  private static long duration(String value, String what, List<String> log) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      return Math.max(0, GoDurations.parseMillis(value));
    } catch (IllegalArgumentException e) {
      log.add("warning: Unable to parse " + what + " " + value + ", ignoring: " + e.getMessage());
      return 0;
    }
  }

  /** Go's {@code strconv.ParseBool}; anything else is ignored with a warning (false). */
  private static boolean bool(String value, List<String> log) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    switch (value) {
      case "1", "t", "T", "TRUE", "true", "True":
        return true;
      case "0", "f", "F", "FALSE", "false", "False":
        return false;
      default:
        log.add("warning: Unable to parse wait for ready " + value + ", ignoring: strconv.ParseBool: parsing \""
            + value + "\": invalid syntax");
        return false;
    }
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object.isObject()) {
      object.fields().forEachRemaining(e -> {
        if (e.getValue().isTextual()) {
          out.put(e.getKey(), e.getValue().asText());
        }
      });
    }
    return out;
  }
}
