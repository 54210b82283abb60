package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Velero's warnings or errors of a restore (reference 3.12): messages about Velero itself, about
 * cluster-scoped items, and per namespace. Empty parts are omitted in JSON, as Velero does.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Result(List<String> velero, List<String> cluster, Map<String, List<String>> namespaces) {

  public Result {
    velero = velero == null ? List.of() : List.copyOf(velero);
    cluster = cluster == null ? List.of() : List.copyOf(cluster);
    namespaces = namespaces == null ? Map.of() : copy(namespaces);
  }

  public static Result empty() {
    return new Result(List.of(), List.of(), Map.of());
  }

  /** Velero's {@code Add}: an empty namespace means a cluster-scoped message. */
  public Result add(String namespace, String message) {
    if (namespace == null || namespace.isEmpty()) {
      return new Result(velero, append(cluster, message), namespaces);
    }
    Map<String, List<String>> ns = new LinkedHashMap<>(namespaces);
    ns.put(namespace, append(ns.getOrDefault(namespace, List.of()), message));
    return new Result(velero, cluster, ns);
  }

  /** Velero's {@code AddVeleroError}. */
  public Result addVelero(String message) {
    return new Result(append(velero, message), cluster, namespaces);
  }

  /** All messages of both results, as Velero's {@code Merge}. */
  public Result merge(Result other) {
    Map<String, List<String>> ns = new LinkedHashMap<>(namespaces);
    other.namespaces.forEach((k, v) -> ns.merge(k, v, Result::concat));
    return new Result(concat(velero, other.velero), concat(cluster, other.cluster), ns);
  }

  /** Every message: Velero's, then the cluster's, then each namespace's. */
  public List<String> messages() {
    List<String> all = new ArrayList<>(velero);
    all.addAll(cluster);
    namespaces.values().forEach(all::addAll);
    return all;
  }

  /** The count Velero puts in {@code status.warnings}/{@code status.errors}. */
  public int count() {
    return velero.size() + cluster.size() + namespaces.values().stream().mapToInt(List::size).sum();
  }

  @JsonIgnore
  public boolean isEmpty() {
    return count() == 0;
  }

  /** Collects messages cheaply, for results with many entries; {@link #build()} makes the Result. */
  public static final class Builder {
    private final List<String> velero = new ArrayList<>();
    private final List<String> cluster = new ArrayList<>();
    private final Map<String, List<String>> namespaces = new TreeMap<>();

    /** As {@link Result#add}: an empty or null namespace means a cluster-scoped message. */
    public Builder add(String namespace, String message) {
      if (namespace == null || namespace.isEmpty()) {
        cluster.add(message);
      } else {
        namespaces.computeIfAbsent(namespace, k -> new ArrayList<>()).add(message);
      }
      return this;
    }

    public Builder addVelero(String message) {
      velero.add(message);
      return this;
    }

    /** Every message of {@code result}, each in its place. */
    public Builder addAll(Result result) {
      velero.addAll(result.velero);
      cluster.addAll(result.cluster);
      result.namespaces.forEach((ns, messages) -> namespaces.computeIfAbsent(ns, k -> new ArrayList<>()).addAll(messages));
      return this;
    }

    public Result build() {
      return new Result(velero, cluster, namespaces);
    }
  }

  private static List<String> append(List<String> list, String message) {
    List<String> out = new ArrayList<>(list);
    out.add(message);
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> m) {
    Map<String, List<String>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(out);
  }
}
