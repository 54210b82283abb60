package dev.rebound.coordinator.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Velero's API group version selection (reference 3.9, feature {@code EnableAPIGroupVersions},
 * backup format 1.1.0 or later): for each backed-up resource, the version whose directory the items
 * are read from.
 */
public final class GroupVersions {

  /** The suffix of the source cluster's preferred version directory. */
  public static final String PREFERRED_SUFFIX = "-preferredversion";

  /** A target API group: its preferred version and every version it serves. */
  public record TargetGroup(String preferred, List<String> versions) {}

  /** The version chosen for a resource and the directory its items are read from. */
  public record Chosen(String version, String dir) {}

  private GroupVersions() {}

  private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  /**
   * Kubernetes' version priority ({@code version.CompareKubeAwareVersionStrings}): GA before beta
   * before alpha, higher numbers first; versions that do not look like Kubernetes versions come
   * last, in alphabetical order.
   */
  public static final Comparator<String> KUBE_PRIORITY = (a, b) -> {
    Matcher ma = KUBE_VERSION.matcher(a);
    Matcher mb = KUBE_VERSION.matcher(b);
    boolean ka = ma.matches();
    boolean kb = mb.matches();
    if (!ka || !kb) {
      return ka ? -1 : kb ? 1 : a.compareTo(b);
    }
    int rank = Integer.compare(stage(mb.group(2)), stage(ma.group(2)));
    if (rank != 0) {
      return rank;
    }
    int major = Integer.compare(Integer.parseInt(mb.group(1)), Integer.parseInt(ma.group(1)));
    if (major != 0) {
      return major;
    }
    return Integer.compare(minor(mb.group(3)), minor(ma.group(3)));
  };

  private static int stage(String s) {
    return s == null ? 2 : s.equals("beta") ? 1 : 0;
  }

  private static int minor(String s) {
    return s == null ? 0 : Integer.parseInt(s);
  }

  /**
   * Velero's {@code chooseAPIVersionsToRestore}.
   *
   * @param sourceVersions per resource directory, the versions backed up (directory names without
   *     the preferred suffix)
   * @param sourcePreferred per resource directory, the source cluster's preferred version
   * @param targetGroups per API group ("" for the core group), what the target serves
   * @param userPriorities per resource directory, the user's versions in order (may be empty)
   */
  public static Map<String, Chosen> choose(Map<String, SortedSet<String>> sourceVersions,
      Map<String, String> sourcePreferred, Map<String, TargetGroup> targetGroups,
      Map<String, List<String>> userPriorities) {
    Map<String, Chosen> chosen = new LinkedHashMap<>();
    sourceVersions.forEach((gr, versions) -> {
      String preferred = sourcePreferred.get(gr);
      if (preferred == null) {
        return; // no preferred-version directory: the items stay at their legacy path
      }
      List<String> source = sorted(versions);
      Chosen fallback = new Chosen(preferred, preferred + PREFERRED_SUFFIX);
      TargetGroup target = targetGroups.get(group(gr));
      if (target == null || target.versions().isEmpty()) {
        chosen.put(gr, fallback);
        return;
      }
      List<String> targetVersions = sorted(target.versions());
      // 0: the user's first version that both sides have.
      for (String v : userPriorities.getOrDefault(gr, List.of())) {
        if (targetVersions.contains(v) && source.contains(v)) {
          chosen.put(gr, new Chosen(v, v.equals(preferred) ? v + PREFERRED_SUFFIX : v));
          return;
        }
      }
      // 1: the target's preferred version, if backed up.
      if (source.contains(target.preferred())) {
        String v = target.preferred();
        chosen.put(gr, new Chosen(v, v.equals(preferred) ? v + PREFERRED_SUFFIX : v));
        return;
      }
      // 2: the source's preferred version, if the target serves it.
      if (targetVersions.contains(preferred)) {
        chosen.put(gr, fallback);
        return;
      }
      // 3: the highest-priority common version. Velero skips the first version of both sorted
      // lists here (taking it for the preferred one, which steps 1 and 2 covered); so does Rebound.
      for (String v : targetVersions.subList(1, targetVersions.size())) {
        if (source.subList(Math.min(1, source.size()), source.size()).contains(v)) {
          chosen.put(gr, new Chosen(v, v));
          return;
        }
      }
      // 4: the source's preferred version (Velero's behaviour without the feature).
      chosen.put(gr, fallback);
    });
    return chosen;
  }

  /**
   * The ConfigMap {@code enableapigroupversions}'s {@code restoreResourcesVersionPriority}: lines of
   * {@code <resource.group>=<v1>,<v2>...}; spaces are removed, and a line without exactly one
   * {@code =} with text on both sides is ignored, as Velero ignores it.
   */
  public static Map<String, List<String>> userPriorities(String data) {
    Map<String, List<String>> out = new HashMap<>();
    if (data == null) {
      return out;
    }
    for (String raw : data.split("\n", -1)) {
      String line = raw.replace(" ", "");
      if (line.isEmpty() || line.chars().filter(c -> c == '=').count() != 1) {
        continue;
      }
      String[] pair = line.split("=", -1);
      if (pair[0].isEmpty() || pair[1].isEmpty()) {
        continue;
      }
      out.put(pair[0], List.of(pair[1].split(",", -1)));
    }
    return out;
  }

  /** The API group of a resource directory: after the first dot, "" for the core group. */
  static String group(String groupResource) {
    int dot = groupResource.indexOf('.');
    return dot < 0 ? "" : groupResource.substring(dot + 1);
  }

  private static List<String> sorted(java.util.Collection<String> versions) {
    List<String> list = new ArrayList<>(versions);
    list.sort(KUBE_PRIORITY);
    return list;
  }
}
