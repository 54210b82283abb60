package dev.rebound.model.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Velero's include/exclude sets for namespaces and resources (reference 2.5 and 3.3): an excluded
 * match wins; an empty include list, or one holding {@code *}, includes everything; otherwise a
 * value must match an include. Entries are globs.
 */
public final class IncludesExcludes {

  private final List<String> includes;
  private final List<String> excludes;
  private final List<Glob> includeGlobs;
  private final List<Glob> excludeGlobs;

  public IncludesExcludes(List<String> includes, List<String> excludes) {
    this.includes = includes == null ? List.of() : List.copyOf(includes);
    this.excludes = excludes == null ? List.of() : List.copyOf(excludes);
    this.includeGlobs = this.includes.stream().map(Glob::compile).toList();
    this.excludeGlobs = this.excludes.stream().map(Glob::compile).toList();
  }

  public static IncludesExcludes everything() {
    return new IncludesExcludes(List.of(), List.of());
  }

  public boolean shouldInclude(String value) {
    if (excludeGlobs.stream().anyMatch(g -> g.matches(value))) {
      return false;
    }
    return includesEverything() || includeGlobs.stream().anyMatch(g -> g.matches(value));
  }

  /** Empty includes or a {@code *} among them: the include side selects everything. */
  public boolean includesEverything() {
    return includes.isEmpty() || includes.contains("*");
  }

  /** Velero's "everything" for the cluster-scoped gate: includes empty or exactly {@code *}, no excludes. */
  public boolean isEverything() {
    return (includes.isEmpty() || includes.equals(List.of("*"))) && excludes.isEmpty();
  }

  public List<String> includes() {
    return includes;
  }

  public List<String> excludes() {
    return excludes;
  }

  /**
   * Velero's {@code ValidateIncludesExcludes}, in its order and words: {@code *} mixed with other
   * includes, {@code *} among excludes, an exclude also listed as an include.
   */
  public static List<String> validate(List<String> includes, List<String> excludes) {
    // Velero works on sets here: duplicates count once and excludes are checked in sorted order.
    java.util.Set<String> in = new java.util.HashSet<>(includes == null ? List.of() : includes);
    java.util.SortedSet<String> ex = new java.util.TreeSet<>(excludes == null ? List.of() : excludes);
    List<String> errors = new ArrayList<>();
    if (in.size() > 1 && in.contains("*")) {
      errors.add("includes list must either contain '*' only, or a non-empty list of items");
    }
    if (ex.contains("*")) {
      errors.add("excludes list cannot contain '*'");
    }
    for (String e : ex) {
      if (in.contains(e)) {
        errors.add("excludes list cannot contain an item in the includes list: " + e);
      }
    }
    return errors;
  }

  @Override
  public String toString() {
    return "includes " + includes + ", excludes " + excludes;
  }
}
