package dev.rebound.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.filter.Glob;
import dev.rebound.model.filter.IncludesExcludes;
import dev.rebound.model.filter.LabelSelectors;
import dev.rebound.model.filter.NonRestorableResources;
import dev.rebound.model.velero.RestoreSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of reference 2.5 that need only the Restore's spec (steps 1 to 7), in Velero's order
 * and words. The schedule and backup lookups that follow are {@link SourceResolver}'s.
 */
public final class RestoreSpecValidator {

  /**
   * @param spec the spec as Velero persists it: the never-restored resources appended to
   *     {@code excludedResources}
   * @param errors the validation errors, for {@code status.validationErrors}
   * @param stop whether validation stopped early (no source), so later steps must not run
   */
  public record Outcome(RestoreSpec spec, List<String> errors, boolean stop) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private RestoreSpecValidator() {}

  public static Outcome validate(RestoreSpec original) {
    RestoreSpec spec = withNonRestorableExcluded(original);
    List<String> errors = new ArrayList<>();

    Set<String> included = new HashSet<>(nullSafe(spec.includedResources()));
    for (String resource : NonRestorableResources.LIST) {
      if (included.contains(resource)) {
        errors.add(resource + " are non-restorable resources");
      }
    }
    for (String e : IncludesExcludes.validate(spec.includedResources(), spec.excludedResources())) {
      errors.add("Invalid included/excluded resource lists: " + e);
    }
    for (String e : IncludesExcludes.validate(spec.includedNamespaces(), spec.excludedNamespaces())) {
      errors.add("Invalid included/excluded namespace lists: " + e);
    }
    // Velero would fail the restore later, when it first matches; we refuse the spec up front.
    for (String e : globErrors(spec.includedResources(), spec.excludedResources())) {
      errors.add("Invalid included/excluded resource lists: " + e);
    }
    for (String e : globErrors(spec.includedNamespaces(), spec.excludedNamespaces())) {
      errors.add("Invalid included/excluded namespace lists: " + e);
    }
    // Velero fails such a restore when it first builds the selector; we refuse the spec up front.
    LabelSelectors.validate(spec.labelSelector()).ifPresent(e -> errors.add("Invalid labelSelector: " + e));
    for (var selector : nullSafe(spec.orLabelSelectors())) {
      LabelSelectors.validate(selector).ifPresent(e -> errors.add("Invalid orLabelSelectors: " + e));
    }
    if (spec.orLabelSelectors() != null && spec.labelSelector() != null) {
      errors.add("encountered labelSelector as well as orLabelSelectors in restore spec, only one can be specified");
    }
    if (isEmpty(spec.backupName()) == isEmpty(spec.scheduleName())) {
      errors.add("Either a backup or schedule must be specified as a source for the restore, but not both");
      return new Outcome(spec, List.copyOf(errors), true);
    }
    errors.addAll(hookErrors(spec.hooks()));
    String policy = spec.existingResourcePolicy();
    if (!isEmpty(policy) && !policy.equals("none") && !policy.equals("update")) {
      errors.add("Invalid ExistingResourcePolicy: " + policy);
    }
    return new Outcome(spec, List.copyOf(errors), false);
  }

  private static List<String> globErrors(List<String> includes, List<String> excludes) {
    List<String> errors = new ArrayList<>();
    for (String pattern : concat(includes, excludes)) {
      try {
        Glob.compile(pattern);
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(nullSafe(a));
    all.addAll(nullSafe(b));
    return all;
  }

  /** Velero appends each never-restored resource the user did not already exclude. */
  static RestoreSpec withNonRestorableExcluded(RestoreSpec s) {
    List<String> excluded = new ArrayList<>(nullSafe(s.excludedResources()));
    for (String resource : NonRestorableResources.LIST) {
      if (!excluded.contains(resource)) {
        excluded.add(resource);
      }
    }
    return s.withExcludedResources(excluded);
  }

  /**
   * Velero stops converting hook selectors at the first error, then checks every init container
   * of the hooks it converted.
   */
  private static List<String> hookErrors(RestoreSpec.RestoreHooks hooks) {
    List<String> errors = new ArrayList<>();
    if (hooks == null || hooks.resources() == null) {
      return errors;
    }
    List<RestoreSpec.RestoreResourceHookSpec> converted = new ArrayList<>();
    for (RestoreSpec.RestoreResourceHookSpec h : hooks.resources()) {
      Optional<String> selectorError = LabelSelectors.validate(h.labelSelector());
      if (selectorError.isPresent()) {
        errors.add(selectorError.get());
        converted.clear();
        break;
      }
      converted.add(h);
    }
    for (RestoreSpec.RestoreResourceHookSpec h : converted) {
      for (RestoreSpec.RestoreResourceHook hook : nullSafe(h.postHooks())) {
        if (hook.init() == null) {
          continue;
        }
        for (JsonNode container : nullSafe(hook.init().initContainers())) {
          if (!hasText(container, "name") || !hasText(container, "image") || !hasCommand(container)) {
            errors.add("invalid InitContainer in restore hook, it doesn't have Command, Name or Image field");
          }
        }
      }
    }
    return errors;
  }

  private static boolean hasText(JsonNode container, String field) {
    JsonNode v = container.get(field);
    return v != null && v.isTextual() && !v.asText().isEmpty();
  }

  private static boolean hasCommand(JsonNode container) {
    JsonNode c = container.get("command");
    return c != null && c.isArray() && !c.isEmpty();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
