package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.filter.IncludesExcludes;
import dev.rebound.model.filter.LabelSelectors;
import dev.rebound.model.velero.LabelSelector;
import dev.rebound.model.velero.RestoreSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Velero's {@code velero.io/init-restore-hook} restore item action (reference 3.13 "Init hooks",
 * reference 4): adds restore-hook init containers to a pod before it is created.
 *
 * <ol>
 *   <li>Annotation form, which wins: when annotation {@code init.hook.restore.velero.io/container-image}
 *       is non-empty, one init container {@code {name, image, command}} is added: name from
 *       {@code init.hook.restore.velero.io/container-name}, else {@code velero-restore-init-<8 hex>};
 *       command from {@code init.hook.restore.velero.io/command}: a value starting with {@code [}
 *       that parses as a JSON array of strings is that list, anything else is a one-element list.
 *       The spec hooks are then ignored.
 *   <li>Otherwise every {@code spec.hooks.resources[]} entry whose namespace filter
 *       ({@link IncludesExcludes}, globs) matches the pod's <em>target</em> namespace (mapped through
 *       {@code namespaceMapping}) and whose {@code labelSelector} ({@link LabelSelectors};
 *       unset matches all) matches the pod's labels contributes the {@code init.initContainers} of
 *       its {@code postHooks}, in spec order. The entry's includedResources/excludedResources are
 *       ignored (the resource is forced to {@code pods}), as in Velero.
 *   <li>Resulting order: an existing {@code restore-wait} init container at index 0 stays first,
 *       then the hook containers, then the pod's other init containers.
 * </ol>
 *
 * <p>Errors, in Velero's words and order ({@code pkg/restore/actions/init_restorehook_pod_action.go},
 * {@code internal/hook/item_hook_handler.go}): every hook entry's labelSelector is converted first,
 * so an invalid one fails every pod, even pods with annotation hooks; a matching hook's container
 * without command, name or image fails with "invalid InitContainer in restore hook, it doesn't
 * have Command, Name or Image field" (type errors in those three fields with Go's
 * {@code encoding/json} message). {@code init.timeout} and annotation
 * {@code init.hook.restore.velero.io/timeout} are not used, as in Velero.
 *
 * <p>Deliberate differences: (a) an annotation hook with an image but an empty or absent command
 * makes Velero at the reference commit panic (an item error "plugin panicked: runtime error:
 * index out of range [0] with length 0, ..."); upstream fixed this (velero PR #10371) so that the
 * container runs the image's entrypoint, and that fixed behaviour (no {@code command}) is followed
 * here. (b) Velero decodes hook containers into its Go type, dropping unknown fields; here the
 * hook's container JSON is copied as written. (c) The pod is edited in place, not round-tripped.
 */
public final class InitRestoreHookAction implements RestoreItemAction {

  public static final String NAME = "velero.io/init-restore-hook";

  static final String IMAGE_ANNOTATION = "init.hook.restore.velero.io/container-image";
  static final String NAME_ANNOTATION = "init.hook.restore.velero.io/container-name";
  static final String COMMAND_ANNOTATION = "init.hook.restore.velero.io/command";
  /** The pod-volume-restore action's init container (Velero's {@code restorehelper.WaitInitContainer}). */
  static final String RESTORE_WAIT = "restore-wait";
  static final String INVALID_CONTAINER =
      "invalid InitContainer in restore hook, it doesn't have Command, Name or Image field";

  private static final ObjectReader STRICT_JSON =
      Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Supplier<String> randomSuffix;

  /** Names annotation hooks like Velero: the first 8 hex digits of a random UUID. */
  public InitRestoreHookAction() {
    this(() -> UUID.randomUUID().toString().substring(0, 8));
  }

  /** @param randomSuffix the part after {@code velero-restore-init-} of a generated container name */
  public InitRestoreHookAction(Supplier<String> randomSuffix) {
    this.randomSuffix = Objects.requireNonNull(randomSuffix);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return "pods".equals(groupResource);
  }

  /** A hook entry as Velero converts it before looking at the pod. */
  private record Hook(IncludesExcludes namespaces, LabelSelector labels,
      List<RestoreSpec.RestoreResourceHook> postHooks) {}

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    List<Hook> hooks = hooks(input.restore().spec());
    ObjectNode pod = input.item();
    try {
      ObjectNode metadata = ItemShapes.struct(pod, "metadata");
      Map<String, String> annotations = ItemShapes.stringMap(metadata, "annotations");
      Map<String, String> labels = ItemShapes.stringMap(metadata, "labels");
      String namespace = ItemShapes.string(metadata, "namespace");
      ObjectNode spec = ItemShapes.struct(pod, "spec");
      List<JsonNode> original = new ArrayList<>();
      ArrayNode existing = ItemShapes.slice(spec, "initContainers");
      if (existing != null) {
        for (JsonNode container : existing) {
          ItemShapes.string(ItemShapes.asStruct(container), "name");
          original.add(container);
        }
      }

      List<JsonNode> result = new ArrayList<>();
      if (!original.isEmpty()
          && RESTORE_WAIT.equals(ItemShapes.string(ItemShapes.asStruct(original.get(0)), "name"))) {
        result.add(original.remove(0));
      }
      ObjectNode fromAnnotations = containerFromAnnotations(annotations);
      if (fromAnnotations != null) {
        result.add(fromAnnotations);
      } else {
        String targetNamespace = input.restore().targetNamespace(namespace);
        for (Hook hook : hooks) {
          if (hook.namespaces().shouldInclude(targetNamespace) && LabelSelectors.matches(hook.labels(), labels)) {
            for (RestoreSpec.RestoreResourceHook postHook : hook.postHooks()) {
              if (postHook != null && postHook.init() != null && postHook.init().initContainers() != null) {
                for (JsonNode container : postHook.init().initContainers()) {
                  validate(container);
                  result.add(container.deepCopy());
                }
              }
            }
          }
        }
      }
      result.addAll(original);

      if (result.isEmpty()) {
        if (spec != null) {
          spec.remove("initContainers");
        }
      } else {
        if (spec == null) {
          spec = pod.putObject("spec");
        }
        spec.putArray("initContainers").addAll(result);
      }
    } catch (ItemShapes.Mismatch e) {
      throw new ActionException(e.getMessage(), e);
    }
    return ActionOutput.of(pod);
  }

  /** Velero's {@code GetRestoreHooksFromSpec}: every selector is converted, the first bad one fails. */
  private static List<Hook> hooks(RestoreSpec spec) throws ActionException {
    List<Hook> hooks = new ArrayList<>();
    if (spec == null || spec.hooks() == null || spec.hooks().resources() == null) {
      return hooks;
    }
    for (RestoreSpec.RestoreResourceHookSpec resource : spec.hooks().resources()) {
      if (resource == null) {
        continue;
      }
      var invalid = LabelSelectors.validate(resource.labelSelector());
      if (invalid.isPresent()) {
        throw new ActionException(invalid.get());
      }
      IncludesExcludes namespaces;
      try {
        namespaces = new IncludesExcludes(resource.includedNamespaces(), resource.excludedNamespaces());
      } catch (IllegalArgumentException e) {
        throw new ActionException(e.getMessage(), e);
      }
      hooks.add(new Hook(namespaces, resource.labelSelector(),
          resource.postHooks() == null ? List.of() : resource.postHooks()));
    }
    return hooks;
  }

  /** The annotation hook's container, or null when the image annotation is empty or absent. */
  private ObjectNode containerFromAnnotations(Map<String, String> annotations) {
    String image = annotations.getOrDefault(IMAGE_ANNOTATION, "");
    if (image.isEmpty()) {
      return null;
    }
    String name = annotations.getOrDefault(NAME_ANNOTATION, "");
    if (name.isEmpty()) {
      name = "velero-restore-init-" + randomSuffix.get();
    }
    ObjectNode container = JsonNodeFactory.instance.objectNode();
    container.put("name", name);
    container.put("image", image);
    List<String> command = parseCommand(annotations.getOrDefault(COMMAND_ANNOTATION, ""));
    if (!command.isEmpty()) {
      command.forEach(container.putArray("command")::add);
    }
    return container;
  }

  /**
   * Velero's {@code parseStringToCommand}: a value starting with {@code [} that is exactly one JSON
   * array of strings (JSON {@code null} elements read as "") is that list; otherwise the whole value
   * is the only element. Empty: no command (see the class comment).
   */
  static List<String> parseCommand(String value) {
    if (value.isEmpty()) {
      return List.of();
    }
    if (value.charAt(0) == '[') {
      try {
        JsonNode parsed = STRICT_JSON.readTree(value);
        if (parsed != null && parsed.isArray()) {
          List<String> command = new ArrayList<>();
          boolean allStrings = true;
          for (JsonNode element : parsed) {
            if (element.isTextual()) {
              command.add(element.asText());
            } else if (element.isNull()) {
              command.add("");
            } else {
              allStrings = false;
            }
          }
          if (allStrings) {
            return command;
          }
        }
      } catch (IOException e) {
        // not JSON: the whole value is the command
      }
    }
    return List.of(value);
  }

  /**
   * Velero's {@code ValidateContainer}: the JSON must decode as a container (type errors of name,
   * image and command reported in document order, as Go reports its first) and have all three.
   */
  static void validate(JsonNode container) throws ActionException {
    if (container == null || container.isNull()) {
      throw new ActionException(INVALID_CONTAINER);
    }
    if (!container.isObject()) {
      throw new ActionException("json: cannot unmarshal " + jsonType(container) + " into Go value of type v1.Container");
    }
    var fields = container.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      switch (field.getKey()) {
        case "name", "image" -> {
          if (!value.isTextual()) {
            throw typeError(value, "Container." + field.getKey(), "string");
          }
        }
        case "command" -> {
          if (!value.isArray()) {
            throw typeError(value, "Container.command", "[]string");
          }
          for (JsonNode element : value) {
            if (!element.isTextual() && !element.isNull()) {
              throw typeError(element, "Container.command", "string");
            }
          }
        }
        default -> {
          // other fields are not checked here
        }
      }
    }
    boolean hasCommand = container.path("command").isArray() && !container.path("command").isEmpty();
    if (!hasCommand || container.path("name").asText("").isEmpty() || container.path("image").asText("").isEmpty()) {
      throw new ActionException(INVALID_CONTAINER);
    }
  }

  private static ActionException typeError(JsonNode value, String field, String goType) {
    return new ActionException(
        "json: cannot unmarshal " + jsonType(value) + " into Go struct field " + field + " of type " + goType);
  }

  /** How Go's {@code encoding/json} names a JSON value's type in an UnmarshalTypeError. */
  private static String jsonType(JsonNode node) {
    if (node.isObject()) {
      return "object";
    }
    if (node.isArray()) {
      return "array";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "bool";
    }
    return "number";
  }
}
