package dev.rebound.bench;

import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ManagedProcess;
import dev.rebound.servers.ReboundServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * CPU seconds (user + system) that groups of processes used between two samples, read from
 * {@code /proc/<pid>/stat} as {@code top} reads them. A process started between the samples counts
 * from zero; one that ended between them is not counted (the groups' servers run throughout).
 */
final class CpuTime {

  /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on Linux for every architecture we run. */
  private static final double TICKS = 100.0;

  /** Each group's stat files: {@code /proc/<pid>/stat} of a process, or a thread's under {@code task}. */
  private final Map<String, Supplier<Collection<Path>>> groups = new LinkedHashMap<>();
  private Map<Path, Double> at = Map.of();

  /** A group of processes, looked up again at every sample (services started later count). */
  CpuTime group(String name, Supplier<Collection<Path>> stats) {
    groups.put(name, stats);
    return this;
  }

  static Supplier<Collection<Path>> of(Supplier<List<ManagedProcess>> processes) {
    return () -> processes.get().stream().flatMap(p -> p.pids().stream()).map(CpuTime::stat).toList();
  }

  static Path stat(long pid) {
    return Path.of("/proc", Long.toString(pid), "stat");
  }

  /**
   * The threads ({@code /proc/<pid>/task/<tid>/stat}; {@code /proc/<tid>/stat} would count the
   * whole process) of the processes whose name ({@code /proc/<pid>/task/<tid>/comm}) {@code name} accepts: for example a JVM's
   * compiler threads ({@code C1 CompilerThre}, {@code C2 CompilerThre}) or its collector's. A
   * thread that ended between two samples is not counted (HotSpot ends idle compiler threads).
   */
  static Supplier<Collection<Path>> threads(Supplier<Collection<Path>> processes, java.util.function.Predicate<String> name) {
    return () -> processes.get().stream().flatMap(stat -> {
      try (var tasks = Files.list(stat.resolveSibling("task"))) {
        return tasks.filter(task -> {
          try {
            return name.test(Files.readString(task.resolve("comm")).strip());
          } catch (IOException e) {
            return false;
          }
        }).map(task -> task.resolve("stat")).toList().stream();
      } catch (IOException | java.io.UncheckedIOException e) {
        return java.util.stream.Stream.<Path>empty();
      }
    }).toList();
  }

  /** A JVM's JIT compiler threads. */
  static boolean jit(String thread) {
    return thread.contains("CompilerThre");
  }

  /** A JVM's garbage collector threads (G1's workers, refinement, marking, the VM thread's safepoints). */
  static boolean gc(String thread) {
    return thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.equals("VM Thread");
  }

  /** Starts a measurement. */
  CpuTime start() {
    Map<Path, Double> now = new java.util.HashMap<>();
    groups.values().forEach(stats -> stats.get().forEach(stat -> now.put(stat, seconds(stat))));
    at = now;
    return this;
  }

  /** CPU seconds per group since {@link #start()}. */
  Map<String, Double> since() {
    Map<String, Double> used = new LinkedHashMap<>();
    groups.forEach((name, stats) -> used.put(name, stats.get().stream().distinct()
        .mapToDouble(stat -> Math.max(0, seconds(stat) - at.getOrDefault(stat, 0.0))).sum()));
    return used;
  }

  /** utime + stime of one process or thread (fields 14 and 15 of its stat line); 0 once it is gone. */
  static double seconds(Path statFile) {
    try {
      String stat = Files.readString(statFile);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state): utime is field 14, stime field 15.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The service whose JIT compiler and collector threads a pipeline run also counts apart. */
  static final String THREADS_APART = "item-restorer";

  /**
   * The groups of a pipeline run: each Rebound service (its instances alive in {@code services}),
   * the item-restorers' JIT and GC threads ({@code "item-restorer JIT"}, {@code "item-restorer GC"}),
   * Kafka, the API server, etcd, and this JVM under {@code thisJvm}.
   */
  static CpuTime pipeline(AtomicReference<ReboundServices> services, KafkaBroker kafka, KubeCluster cluster,
      String thisJvm) {
    CpuTime cpu = new CpuTime();
    for (String service : ReboundServices.NAMES) {
      Supplier<Collection<Path>> processes = of(() -> services.get() == null ? List.of()
          : services.get().alive(service).stream().map(ReboundServices.Running::process).toList());
      cpu.group(service, processes);
      if (service.equals(THREADS_APART)) {
        cpu.group(service + " JIT", threads(processes, CpuTime::jit)).group(service + " GC", threads(processes, CpuTime::gc));
      }
    }
    return cpu.group("Kafka", of(() -> List.of(kafka.process())))
        .group("kube-apiserver", of(() -> BenchRestores.named(cluster, "kube-apiserver")))
        .group("etcd", of(() -> BenchRestores.named(cluster, "etcd")))
        .group(thisJvm, () -> List.of(stat(ProcessHandle.current().pid())));
  }
}
