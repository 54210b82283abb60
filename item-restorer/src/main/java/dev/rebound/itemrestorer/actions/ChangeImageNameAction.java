package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.GoUnstructured.GoError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Velero's {@code velero.io/change-image-name} restore item action (reference 4; Velero's
 * {@code pkg/restore/actions/change_image_name_action.go}): rewrites container images through the
 * rows of the action's plugin ConfigMap (labels {@code velero.io/plugin-config} and
 * {@code velero.io/change-image-name: RestoreItemAction}, read with
 * {@link TargetLookups#pluginConfig}). No ConfigMap, or one without data: nothing changes.
 *
 * <p>Each data value is a row {@code "<old part>,<new part>"}, split at its first comma, both
 * parts trimmed of white space (the keys only name the rows). For every container and init
 * container with a non-empty {@code image}, the first row whose old part occurs in the image is
 * applied: every occurrence of the old part is replaced by the new part. An image no row matches
 * is kept. The containers are found by the item's {@code kind}: {@code Pod} at
 * {@code spec.containers}/{@code spec.initContainers}, {@code CronJob} under
 * {@code spec.jobTemplate.spec.template.spec}, any other kind under {@code spec.template.spec}.
 *
 * <p>Velero quirks followed:
 *
 * <ul>
 *   <li>a row without a comma, or with nothing after its first comma, is skipped; "no mapping rule
 *       found for image" is never an error;
 *   <li>the old part may be empty (a row {@code ",x"}, or blanks before the comma): it matches every
 *       image and, as Go's {@code strings.Replace} with an empty pattern does, inserts the new part
 *       before every character and at the end; a new part of only blanks replaces the old part with
 *       nothing;
 *   <li>a non-list at a containers path, or a null one, is an error worded as Velero wraps it twice,
 *       also for init containers: "error getting item's spec.containers: error getting item's
 *       spec.containers: .spec.initContainers accessor error: ...";
 *   <li>a container that is not an object, or an {@code image} that is not a string, makes Velero's
 *       type assertion panic: "plugin panicked: interface conversion: interface {} is string, not
 *       map[string]interface {}" (Velero appends a stack trace, which we do not);
 *   <li>a failure from the plugin ConfigMap lookup (several ConfigMaps match) fails the item even
 *       when it has nothing to rewrite, since Velero lists the ConfigMaps first.
 * </ul>
 *
 * <p>Deliberate difference: Velero tries the rows in Go map iteration order, which is random, so
 * with several matching rows its result varies from run to run. We try the rows in the order of
 * their data keys (Java's {@code String} order), so the outcome is reproducible; with at most one
 * matching row per image both give the same result.
 */
public final class ChangeImageNameAction implements RestoreItemAction {

  private static final Set<String> RESOURCES = Set.of("deployments.apps", "statefulsets.apps",
      "daemonsets.apps", "replicasets.apps", "replicationcontrollers", "jobs.batch", "cronjobs.batch", "pods");

  private static final String DELIMITER = ",";

  @Override
  public String name() {
    return "velero.io/change-image-name";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return RESOURCES.contains(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    Optional<Map<String, String>> config = input.cluster().pluginConfig(name());
    if (config.isEmpty() || config.get().isEmpty()) {
      return ActionOutput.of(input.item());
    }
    List<String> rows = new ArrayList<>(new TreeMap<>(config.get()).values());
    ObjectNode item = input.item();
    JsonNode kind = item.get("kind");
    String kindName = kind != null && kind.isTextual() ? kind.textValue() : "";
    String[] podSpec = switch (kindName) {
      case "Pod" -> new String[] {"spec"};
      case "CronJob" -> new String[] {"spec", "jobTemplate", "spec", "template", "spec"};
      default -> new String[] {"spec", "template", "spec"};
    };
    replaceImages(item, rows, append(podSpec, "containers"));
    replaceImages(item, rows, append(podSpec, "initContainers"));
    return ActionOutput.of(item);
  }

  private static String[] append(String[] path, String last) {
    String[] out = Arrays.copyOf(path, path.length + 1);
    out[path.length] = last;
    return out;
  }

  private static void replaceImages(ObjectNode item, List<String> rows, String... path) throws ActionException {
    Optional<ArrayNode> containers;
    try {
      containers = GoUnstructured.nestedSlice(item, path);
    } catch (GoError e) {
      throw new ActionException(
          "error getting item's spec.containers: error getting item's spec.containers: " + e.getMessage());
    }
    if (containers.isEmpty()) {
      return;
    }
    for (JsonNode container : containers.get()) {
      if (!container.isObject()) {
        throw GoUnstructured.failedAssertion(container, "map[string]interface {}");
      }
      JsonNode image = container.get("image");
      if (image == null) {
        continue;
      }
      if (!image.isTextual()) {
        throw GoUnstructured.failedAssertion(image, "string");
      }
      Optional<String> renamed = newImageName(image.textValue(), rows);
      if (renamed.isPresent()) {
        ((ObjectNode) container).put("image", renamed.get());
      }
    }
  }

  /** The image as the first matching row rewrites it; empty for an empty image or no match. */
  static Optional<String> newImageName(String image, List<String> rows) {
    if (image.isEmpty()) {
      return Optional.empty();
    }
    for (String row : rows) {
      int comma = row.indexOf(DELIMITER);
      if (comma < 0) {
        continue;
      }
      String oldPart = goTrimSpace(row.substring(0, comma));
      if (image.contains(oldPart) && row.length() - comma > DELIMITER.length()) {
        String newPart = goTrimSpace(row.substring(comma + DELIMITER.length()));
        return Optional.of(goReplaceAll(image, oldPart, newPart));
      }
    }
    return Optional.empty();
  }

  /** Go's {@code strings.TrimSpace}: trims Unicode white space (which includes NBSP, unlike {@code strip}). */
  static String goTrimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isGoSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isGoSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  private static boolean isGoSpace(int cp) {
    return (cp >= '\t' && cp <= '\r') || cp == 0x85 || Character.isSpaceChar(cp);
  }

  /**
   * Go's {@code strings.Replace(s, old, new, -1)}: with an empty {@code old}, {@code new} goes
   * before every character (code point) and at the end.
   */
  static String goReplaceAll(String s, String oldPart, String newPart) {
    if (!oldPart.isEmpty()) {
      return s.replace(oldPart, newPart);
    }
    StringBuilder out = new StringBuilder(newPart);
    s.codePoints().forEach(cp -> out.appendCodePoint(cp).append(newPart));
    return out.toString();
  }
}
