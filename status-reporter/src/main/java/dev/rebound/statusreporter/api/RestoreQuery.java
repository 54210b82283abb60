package dev.rebound.statusreporter.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A page of {@code GET /api/v1/restores}: filtered (search, cluster, phase, creator), ordered
 * (oldest or newest first) and cut into pages as Kubernetes lists are ({@code limit}, an opaque
 * {@code continue} token in the list's metadata, {@code remainingItemCount}). The token names the
 * last restore of the page, not an offset, so restores submitted meanwhile neither repeat nor skip
 * one on the next page.
 *
 * @param search case-insensitive part of the name, backup, schedule or description
 * @param cluster a target cluster the restore goes to
 * @param phases Velero phases, any of which the restore is in
 * @param createdBy the user who created it ({@code rebound.dev/created-by})
 */
record RestoreQuery(String search, String cluster, Set<RestorePhase> phases, String createdBy, boolean newestFirst,
    int limit, String after) {

  static final String DESCRIPTION = "rebound.dev/description";

  /** Parses the query parameters; a bad one is an {@link IllegalArgumentException} with the API's message. */
  static RestoreQuery of(String search, String cluster, String phase, String createdBy, String sort, Integer limit,
      String continueToken) {
    Set<RestorePhase> phases = Set.of();
    if (phase != null && !phase.isBlank()) {
      phases = Arrays.stream(phase.split(",")).map(String::strip).filter(s -> !s.isEmpty())
          .map(p -> Arrays.stream(RestorePhase.values()).filter(v -> v.value().equals(p)).findFirst()
              .orElseThrow(() -> new IllegalArgumentException("phase: unknown restore phase \"" + p + "\"; one of "
                  + Arrays.stream(RestorePhase.values()).map(RestorePhase::value).collect(Collectors.joining(", ")))))
          .collect(Collectors.toUnmodifiableSet());
    }
    boolean newest;
    if (sort == null || sort.isBlank() || sort.equals("oldest")) {
      newest = false;
    } else if (sort.equals("newest")) {
      newest = true;
    } else {
      throw new IllegalArgumentException("sort: \"" + sort + "\" is neither oldest nor newest");
    }
    if (limit != null && limit < 0) {
      throw new IllegalArgumentException("limit: must not be negative, got " + limit);
    }
    String after = null;
    if (continueToken != null && !continueToken.isBlank()) {
      try {
        JsonNode token = Json.mapper().readTree(Base64.getUrlDecoder().decode(continueToken));
        after = token.path("after").asText(null);
      } catch (IllegalArgumentException | java.io.IOException e) {
        after = null;
      }
      if (after == null) {
        throw new IllegalArgumentException("continue: not a continue token of this API: \"" + continueToken + "\"");
      }
    }
    return new RestoreQuery(blankToNull(search), blankToNull(cluster), phases, blankToNull(createdBy), newest,
        limit == null ? 0 : limit, after);
  }

  /** The {@code RestoreList} answer for {@code all} (oldest first, as the book lists them). */
  Map<String, Object> page(List<Restore> all, String defaultCluster) {
    List<Restore> matching = new ArrayList<>(all.stream().filter(r -> matches(r, defaultCluster)).toList());
    if (newestFirst) {
      java.util.Collections.reverse(matching);
    }
    int from = 0;
    if (after != null) {
      for (int i = 0; i < matching.size(); i++) {
        if (key(matching.get(i)).equals(after)) {
          from = i + 1;
          break;
        }
      }
    }
    int to = limit == 0 ? matching.size() : Math.min(matching.size(), from + limit);
    List<Restore> items = matching.subList(Math.min(from, to), to);
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (to < matching.size()) {
      metadata.put("continue", token(key(items.get(items.size() - 1))));
      metadata.put("remainingItemCount", matching.size() - to);
    }
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", Restore.API_VERSION);
    list.put("kind", "RestoreList");
    list.put("metadata", metadata);
    list.put("items", items);
    return list;
  }

  private boolean matches(Restore r, String defaultCluster) {
    if (!phases.isEmpty() && (r.status() == null || !phases.contains(r.status().phase()))) {
      return false;
    }
    if (createdBy != null && !createdBy.equals(r.metadata().annotation(RestoresResource.CREATED_BY))) {
      return false;
    }
    if (cluster != null && !clusters(r, defaultCluster).contains(cluster)) {
      return false;
    }
    if (search != null) {
      String needle = search.toLowerCase(Locale.ROOT);
      return contains(r.name(), needle) || (r.spec() != null && (contains(r.spec().backupName(), needle)
          || contains(r.spec().scheduleName(), needle))) || contains(r.metadata().annotation(DESCRIPTION), needle);
    }
    return true;
  }

  /** The restore's target clusters, as its annotation names them (the default cluster without one). */
  static List<String> clusters(Restore r, String defaultCluster) {
    return RestoreIntake.targetClusters(r.metadata(), defaultCluster);
  }

  private static boolean contains(String value, String needle) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(needle);
  }

  /** What orders a restore and names it in a continue token: submission time, then name. */
  private static String key(Restore r) {
    Instant created = r.metadata().creationTimestamp();
    return (created == null ? "" : created.toString()) + "/" + r.name();
  }

  private static String token(String after) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          Json.mapper().writeValueAsString(Map.of("after", after)).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

}
