package dev.rebound.model.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular-expression namespaces: an entry {@code /<expression>/} of {@code includedNamespaces} or
 * {@code excludedNamespaces} (a slash cannot be part of a namespace or of one of Velero's globs)
 * stands for every namespace of the backup it matches (Java syntax, matching any part of the name
 * as Go's {@code MatchString} does; anchor it with {@code ^...$}). They are expanded once, when the
 * restore is submitted, so the stored Restore is an ordinary Velero Restore naming the namespaces.
 */
public final class NamespacePatterns {

  private NamespacePatterns() {}

  /** Whether the entry is a regular expression ({@code /.../}, at least one character inside). */
  public static boolean isPattern(String entry) {
    return entry != null && entry.length() > 2 && entry.startsWith("/") && entry.endsWith("/");
  }

  public static boolean anyPattern(List<String> entries) {
    return entries != null && entries.stream().anyMatch(NamespacePatterns::isPattern);
  }

  /**
   * The entries with each pattern replaced by the backup's namespaces it matches (sorted, no
   * duplicates, other entries kept in place).
   *
   * @param field the spec field, for messages ({@code includedNamespaces})
   * @throws IllegalArgumentException for an invalid expression (with the parser's message), or when
   *     every entry was a pattern and none matched: an empty list would mean all namespaces
   */
  public static List<String> expand(String field, List<String> entries, Set<String> backupNamespaces) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      if (!isPattern(entry)) {
        out.add(entry);
        continue;
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(entry.substring(1, entry.length() - 1));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("spec." + field + "[" + i + "]: Invalid value: \"" + entry
            + "\": invalid regular expression: " + e.getDescription() + " near index " + e.getIndex());
      }
      new TreeSet<>(backupNamespaces).stream().filter(ns -> pattern.matcher(ns).find()).forEach(out::add);
    }
    if (out.isEmpty() && !entries.isEmpty()) {
      throw new IllegalArgumentException("spec." + field + ": " + entries + " match no namespace of the backup "
          + new TreeSet<>(backupNamespaces) + "; an empty list would mean every namespace");
    }
    return new ArrayList<>(out);
  }

  /**
   * The namespaces of a backup from its resource list ({@code <backup>-resource-list.json.gz}:
   * {@code <group/version>/<Kind>} to {@code <namespace>/<name>} or, cluster-scoped, {@code <name>}):
   * the Namespace objects and every namespace an item is in.
   */
  public static Set<String> namespacesOf(JsonNode resourceList) {
    Set<String> namespaces = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resourceList.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> kind = it.next();
      boolean namespaceKind = kind.getKey().equals("v1/Namespace");
      for (JsonNode item : kind.getValue()) {
        String entry = item.asText();
        int slash = entry.indexOf('/');
        if (namespaceKind && slash < 0) {
          namespaces.add(entry);
        } else if (slash > 0) {
          namespaces.add(entry.substring(0, slash));
        }
      }
    }
    return namespaces;
  }
}
