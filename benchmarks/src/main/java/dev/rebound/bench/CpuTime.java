package dev.rebound.bench;

import dev.rebound.servers.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU seconds (user + system) that groups of processes used between two samples, read from
 * {@code /proc/<pid>/stat} as {@code top} reads them. A process started between the samples counts
 * from zero; one that ended between them is not counted (the groups' servers run throughout).
 */
final class CpuTime {

  /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on Linux for every architecture we run. */
  private static final double TICKS = 100.0;

  private final Map<String, Supplier<Collection<Long>>> groups = new LinkedHashMap<>();
  private Map<Long, Double> at = Map.of();

  /** A group of processes, looked up again at every sample (services started later count). */
  CpuTime group(String name, Supplier<Collection<Long>> pids) {
    groups.put(name, pids);
    return this;
  }

  static Supplier<Collection<Long>> of(Supplier<List<ManagedProcess>> processes) {
    return () -> processes.get().stream().flatMap(p -> p.pids().stream()).toList();
  }

  /** Starts a measurement. */
  CpuTime start() {
    Map<Long, Double> now = new java.util.HashMap<>();
    groups.values().forEach(pids -> pids.get().forEach(pid -> now.put(pid, seconds(pid))));
    at = now;
    return this;
  }

  /** CPU seconds per group since {@link #start()}. */
  Map<String, Double> since() {
    Map<String, Double> used = new LinkedHashMap<>();
    groups.forEach((name, pids) -> used.put(name, pids.get().stream().distinct()
        .mapToDouble(pid -> Math.max(0, seconds(pid) - at.getOrDefault(pid, 0.0))).sum()));
    return used;
  }

  /** utime + stime of one process (fields 14 and 15 of its stat line); 0 once it is gone. */
  static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state): utime is field 14, stime field 15.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * The groups of a pipeline run: each Rebound service (its instances alive in {@code services}),
   * Kafka, the API server, etcd, and this JVM under {@code thisJvm}.
   */
  static CpuTime pipeline(java.util.concurrent.atomic.AtomicReference<dev.rebound.servers.ReboundServices> services,
      dev.rebound.servers.KafkaBroker kafka, dev.rebound.servers.KubeCluster cluster, String thisJvm) {
    CpuTime cpu = new CpuTime();
    for (String service : dev.rebound.servers.ReboundServices.NAMES) {
      cpu.group(service, of(() -> services.get() == null ? java.util.List.of() : services.get().alive(service).stream()
          .map(dev.rebound.servers.ReboundServices.Running::process).toList()));
    }
    return cpu.group("Kafka", of(() -> java.util.List.of(kafka.process())))
        .group("kube-apiserver", of(() -> cluster.processes().stream().filter(p -> p.name().equals("kube-apiserver")).toList()))
        .group("etcd", of(() -> cluster.processes().stream().filter(p -> p.name().equals("etcd")).toList()))
        .group(thisJvm, () -> java.util.List.of(ProcessHandle.current().pid()));
  }
}
