package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.PodVolume;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Velero's {@code velero.io/pod-volume-restore} restore item action (reference 4, 6.2): removes any
 * {@code restore-wait} (or legacy {@code restic-wait}) init container, and for a pod with volumes
 * restored from file-system backups prepends the {@code restore-wait} init container, which holds
 * the pod until the volume-restorer has written each volume's data and its done file.
 *
 * <p>The container, as Velero builds it: image from the plugin ConfigMap (label
 * {@code velero.io/pod-volume-restore: RestoreItemAction}) key {@code image} (a name without a
 * registry part is ignored, one without a tag gets the default image's tag), else Rebound's
 * restore-helper image (Velero: its server image); command {@code /velero-restore-helper} (key
 * {@code command}); args the restore's UID; env {@code POD_NAMESPACE}, {@code POD_NAME} from the
 * downward API; requests and limits {@code 100m}/{@code 128Mi} (keys {@code cpuRequest},
 * {@code memRequest}, {@code cpuLimit}, {@code memLimit}; an unparsable one puts every value back to
 * the defaults); securityContext from keys {@code secCtxRunAsUser}, {@code secCtxRunAsGroup},
 * {@code secCtxAllowPrivilegeEscalation} and {@code secCtx} (YAML, applied last), else a copy of
 * the first container's, else runAsUser 1000, runAsNonRoot, no privilege escalation, all
 * capabilities dropped, seccomp RuntimeDefault; one mount per volume at {@code /restores/<volume>}.
 *
 * <p>Deliberate differences: the mounts follow the backup's order of PodVolumeBackups (Velero's
 * come from a Go map, in random order); only volumes whose data Rebound restores (the restic
 * uploader) are mounted, so a kopia volume, which fails with a precise error, never holds the pod.
 */
public final class PodVolumeRestoreAction implements RestoreItemAction {

  public static final String NAME = "velero.io/pod-volume-restore";
  public static final String CONTAINER = "restore-wait";
  static final String LEGACY_CONTAINER = "restic-wait";
  static final String DEFAULT_COMMAND = "/velero-restore-helper";
  static final String DEFAULT_CPU = "100m";
  static final String DEFAULT_MEMORY = "128Mi";
  static final int HELPER_UID = 1000;
  private static final Logger LOG = Logger.getLogger(PodVolumeRestoreAction.class);
  /** A Kubernetes resource quantity, as {@code resource.ParseQuantity} accepts it. */
  private static final Pattern QUANTITY =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\\d+))?");

  private final String defaultImage;

  /** @param defaultImage the restore-helper image used when the plugin ConfigMap names none */
  public PodVolumeRestoreAction(String defaultImage) {
    this.defaultImage = defaultImage;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("pods");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode pod = input.item();
    ObjectNode spec = pod.with("spec");
    if (spec.path("initContainers") instanceof ArrayNode inits) {
      for (int i = inits.size() - 1; i >= 0; i--) {
        String name = inits.get(i).path("name").asText();
        if (name.equals(CONTAINER) || name.equals(LEGACY_CONTAINER)) {
          inits.remove(i);
        }
      }
    }
    List<PodVolume> volumes = input.volume() == null || input.volume().podVolumes() == null ? List.of()
        : input.volume().podVolumes().stream().filter(PodVolume::restic).toList();
    if (volumes.isEmpty()) {
      return ActionOutput.of(pod);
    }
    Map<String, String> config = input.cluster().pluginConfig(NAME).orElse(Map.of());
    ObjectNode container = JsonNodeFactory.instance.objectNode();
    container.put("name", CONTAINER).put("image", image(config.get("image")));
    String command = config.getOrDefault("command", "");
    container.putArray("command").add(command.isEmpty() ? DEFAULT_COMMAND : command);
    container.putArray("args").add(input.restore().uid());
    ArrayNode env = container.putArray("env");
    env.addObject().put("name", "POD_NAMESPACE").putObject("valueFrom").putObject("fieldRef")
        .put("fieldPath", "metadata.namespace");
    env.addObject().put("name", "POD_NAME").putObject("valueFrom").putObject("fieldRef")
        .put("fieldPath", "metadata.name");
    container.set("resources", resources(config));
    ArrayNode mounts = container.putArray("volumeMounts");
    for (PodVolume v : volumes) {
      mounts.addObject().put("name", v.volume()).put("mountPath", "/restores/" + v.volume());
    }
    container.set("securityContext", securityContext(config, spec));
    ArrayNode inits = spec.path("initContainers") instanceof ArrayNode a ? a : spec.putArray("initContainers");
    inits.insert(0, container);
    return ActionOutput.of(pod);
  }

  /** Velero's {@code getImage}. */
  String image(String configured) {
    if (configured == null || configured.isEmpty()) {
      return defaultImage;
    }
    String[] parts = configured.split("/");
    if (parts.length == 1) {
      LOG.infof("Plugin config contains image name without registry name. Using default init container image: %s",
          defaultImage);
      return defaultImage;
    }
    if (!parts[parts.length - 1].contains(":")) {
      int colon = defaultImage.lastIndexOf(':');
      String tag = colon > defaultImage.lastIndexOf('/') ? defaultImage.substring(colon + 1) : "latest";
      return configured + ":" + tag;
    }
    return configured;
  }

  private static ObjectNode resources(Map<String, String> config) {
    String cpuRequest = orDefault(config.get("cpuRequest"), DEFAULT_CPU);
    String memRequest = orDefault(config.get("memRequest"), DEFAULT_MEMORY);
    String cpuLimit = orDefault(config.get("cpuLimit"), DEFAULT_CPU);
    String memLimit = orDefault(config.get("memLimit"), DEFAULT_MEMORY);
    if (!List.of(cpuRequest, memRequest, cpuLimit, memLimit).stream().allMatch(q -> QUANTITY.matcher(q).matches())) {
      LOG.errorf("couldn't parse resource requirements: %s %s %s %s", cpuRequest, memRequest, cpuLimit, memLimit);
      cpuRequest = cpuLimit = DEFAULT_CPU;
      memRequest = memLimit = DEFAULT_MEMORY;
    }
    ObjectNode resources = JsonNodeFactory.instance.objectNode();
    resources.putObject("limits").put("cpu", cpuLimit).put("memory", memLimit);
    resources.putObject("requests").put("cpu", cpuRequest).put("memory", memRequest);
    return resources;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** Velero's choice of securityContext: the ConfigMap's, else the first container's, else the restricted default. */
  private static JsonNode securityContext(Map<String, String> config, ObjectNode podSpec) {
    String runAsUser = config.getOrDefault("secCtxRunAsUser", "");
    String runAsGroup = config.getOrDefault("secCtxRunAsGroup", "");
    String allowEscalation = config.getOrDefault("secCtxAllowPrivilegeEscalation", "");
    String secCtx = config.getOrDefault("secCtx", "");
    if (!runAsUser.isEmpty() || !runAsGroup.isEmpty() || !allowEscalation.isEmpty() || !secCtx.isEmpty()) {
      Optional<ObjectNode> parsed = parse(runAsUser, runAsGroup, allowEscalation, secCtx);
      if (parsed.isPresent()) {
        return parsed.get();
      }
    }
    JsonNode first = podSpec.path("containers").path(0).path("securityContext");
    if (first.isObject()) {
      return first.deepCopy();
    }
    ObjectNode restricted = JsonNodeFactory.instance.objectNode();
    restricted.put("allowPrivilegeEscalation", false);
    restricted.putObject("capabilities").putArray("drop").add("ALL");
    restricted.put("runAsNonRoot", true);
    restricted.put("runAsUser", HELPER_UID);
    restricted.putObject("seccompProfile").put("type", "RuntimeDefault");
    return restricted;
  }

  /** Velero's {@code ParseSecurityContext}; empty (logged, as Velero logs it) when a value does not parse. */
  private static Optional<ObjectNode> parse(String runAsUser, String runAsGroup, String allowEscalation,
      String secCtx) {
    ObjectNode context = JsonNodeFactory.instance.objectNode();
    try {
      if (!runAsUser.isEmpty()) {
        context.put("runAsUser", number(runAsUser, "Security context runAsUser \"" + runAsUser + "\" is not a number"));
      }
      if (!runAsGroup.isEmpty()) {
        context.put("runAsGroup", number(runAsGroup, "Security context runAsGroup \"" + runAsGroup
            + "\" is not a number"));
      }
      if (!allowEscalation.isEmpty()) {
        context.put("allowPrivilegeEscalation", bool(allowEscalation));
      }
      if (!secCtx.isEmpty()) {
        JsonNode yaml;
        try {
          yaml = Json.yaml().readTree(secCtx);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException("Security context secCtx error: \"" + e.getOriginalMessage() + "\"");
        }
        if (!(yaml instanceof ObjectNode fields)) {
          throw new IllegalArgumentException("Security context secCtx error: \"not a securityContext object\"");
        }
        context.setAll(fields);
      }
      return Optional.of(context);
    } catch (IllegalArgumentException e) {
      LOG.errorf("Using default securityContext values, couldn't parse securityContext requirements: %s.",
          e.getMessage());
      return Optional.empty();
    }
  }

  private static long number(String value, String error) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(error);
    }
  }

  /** Go's {@code strconv.ParseBool}. */
  private static boolean bool(String value) {
    return switch (value) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new IllegalArgumentException("Security context allowPrivilegeEscalation \"" + value
          + "\" is not a boolean");
    };
  }
}
