package dev.rebound.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four packaged Rebound services ({@code <module>/target/quarkus-app/quarkus-run.jar}), each
 * started as its own process against the given servers and waited for until
 * {@code /q/health/ready} answers 200. Each service reads its settings from
 * {@code config/application.properties} in its own working directory (readable by the owner
 * only: it holds credentials), so no secret appears on a command line.
 */
public final class ReboundServices implements AutoCloseable {

  /** The services, in the order they are started and stopped (in reverse). */
  public static final List<String> NAMES =
      List.of("restore-coordinator", "item-restorer", "volume-restorer", "status-reporter");

  /** The bucket the local stack creates for Velero backups (the coordinator's default). */
  public static final String BUCKET = "velero";

  /** A running service and where it listens. */
  public record Running(String name, int port, ManagedProcess process) {
    public String url() {
      return "http://127.0.0.1:" + port;
    }
  }

  private static final String DEFAULT_MAX_HEAP = "384m";

  private final List<Running> running;
  private final Path projectRoot;
  private final Path dir;
  private final KafkaBroker kafka;
  private final S3Server s3;
  private final KubeCluster kube;

  private ReboundServices(List<Running> running, Path projectRoot, Path dir, KafkaBroker kafka, S3Server s3,
      KubeCluster kube) {
    this.running = new java.util.concurrent.CopyOnWriteArrayList<>(running);
    this.projectRoot = projectRoot;
    this.dir = dir;
    this.kafka = kafka;
    this.s3 = s3;
    this.kube = kube;
  }

  /** Starts one more instance of a service (for example a second item-restorer), stopped with the others. */
  public Running startAnother(String name) throws IOException {
    return startAnother(name, DEFAULT_MAX_HEAP);
  }

  /** Starts one more instance with the given {@code -Xmx} value (for example {@code 256m}). */
  public Running startAnother(String name, String maxHeap) throws IOException {
    long instances = running.stream().filter(r -> r.name().equals(name)).count();
    Running another = startOne(projectRoot, dir.resolve(name + "-" + (instances + 1)), name,
        settings(name, kafka, s3, kube), List.of(), true, maxHeap);
    running.add(another);
    return another;
  }

  /**
   * Starts one more instance of each name given (a name given twice starts two), all at once, and
   * waits until every one is ready: their start-ups overlap, as in {@link #start}.
   */
  public synchronized List<Running> startMore(List<String> names) throws IOException {
    List<Running> launched = new ArrayList<>();
    try {
      for (String name : names) {
        long instances = running.stream().filter(r -> r.name().equals(name)).count()
            + launched.stream().filter(r -> r.name().equals(name)).count();
        launched.add(launch(projectRoot, dir.resolve(name + "-" + (instances + 1)), name,
            settings(name, kafka, s3, kube), List.of(), DEFAULT_MAX_HEAP));
      }
      for (Running service : launched) {
        awaitReady(service, true);
      }
    } catch (IOException | RuntimeException e) {
      launched.forEach(r -> r.process().close());
      throw e;
    }
    running.addAll(launched);
    return launched;
  }

  /** The instances of a service whose process is alive. */
  public List<Running> alive(String name) {
    return running.stream().filter(r -> r.name().equals(name) && r.process().isAlive()).toList();
  }

  public static ReboundServices start(Path projectRoot, Path dir, KafkaBroker kafka, S3Server s3, KubeCluster kube)
      throws IOException {
    return start(projectRoot, dir, kafka, s3, kube, Map.of());
  }

  /**
   * Starts the four services with some settings replaced: {@code overrides} maps a service's name to
   * settings put on top of what it gets otherwise (for example an item-restorer whose target cluster
   * is reached through a fault-injecting proxy).
   */
  public static ReboundServices start(Path projectRoot, Path dir, KafkaBroker kafka, S3Server s3, KubeCluster kube,
      Map<String, Map<String, String>> overrides) throws IOException {
    return start(projectRoot, dir, kafka, s3, kube, overrides, List.of());
  }

  /**
   * Starts the four services with {@code overrides} as {@link #start(Path, Path, KafkaBroker, S3Server, KubeCluster,
   * Map)} does and, at the same time, one more instance of each service named in {@code extra} (with the
   * same settings, as {@link #startAnother} would start it afterwards): all their start-ups overlap.
   */
  public static ReboundServices start(Path projectRoot, Path dir, KafkaBroker kafka, S3Server s3, KubeCluster kube,
      Map<String, Map<String, String>> overrides, List<String> extra) throws IOException {
    return start(projectRoot, dir, kafka, s3, kube, overrides, extra, DEFAULT_MAX_HEAP);
  }

  /**
   * As {@link #start(Path, Path, KafkaBroker, S3Server, KubeCluster, Map, List)}, every instance with the
   * given {@code -Xmx} value (for example {@code 512m}) in place of the default.
   */
  public static ReboundServices start(Path projectRoot, Path dir, KafkaBroker kafka, S3Server s3, KubeCluster kube,
      Map<String, Map<String, String>> overrides, List<String> extra, String maxHeap) throws IOException {
    List<Running> started = new ArrayList<>();
    s3.createBucket(BUCKET); // the coordinator and the status-reporter are not ready without it
    try {
      // All at once, then each waited for: their start-ups overlap (the status-reporter sees the
      // others' heartbeats within one heartbeat interval).
      List<String> names = new ArrayList<>(NAMES);
      names.addAll(extra);
      for (String name : names) {
        Map<String, String> settings = settings(name, kafka, s3, kube);
        settings.putAll(overrides.getOrDefault(name, Map.of()));
        long instances = started.stream().filter(r -> r.name().equals(name)).count();
        Path serviceDir = instances == 0 ? dir.resolve(name) : dir.resolve(name + "-" + (instances + 1));
        started.add(launch(projectRoot, serviceDir, name, settings, List.of(), maxHeap));
      }
      for (Running service : started) {
        awaitReady(service, true);
      }
      return new ReboundServices(started, projectRoot, dir, kafka, s3, kube);
    } catch (IOException | RuntimeException e) {
      started.forEach(r -> r.process().close());
      throw e;
    }
  }

  public List<Running> running() {
    return List.copyOf(running);
  }

  public Running get(String name) {
    return running.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no such service: " + name));
  }

  /** Stops the services in reverse start order. */
  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).process().close();
    }
  }

  /** The packaged application of a service module. */
  public static Path applicationJar(Path projectRoot, String name) {
    return projectRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /**
   * Starts one service with some of its settings replaced ({@code overrides}, on top of what
   * {@link #start} gives it) and waits only until {@code /q/health/ready} answers, whatever its
   * status: for tests of a misconfigured service. {@code wrapper} comes before the java command
   * (for example {@code setpriv} options). The caller closes the process.
   */
  public static Running startWith(Path projectRoot, Path dir, String name, KafkaBroker kafka, S3Server s3,
      KubeCluster kube, Map<String, String> overrides, List<String> wrapper) throws IOException {
    Map<String, String> settings = settings(name, kafka, s3, kube);
    settings.putAll(overrides);
    return startOne(projectRoot, dir, name, settings, wrapper, false, DEFAULT_MAX_HEAP);
  }

  private static Running startOne(Path projectRoot, Path dir, String name, Map<String, String> settings,
      List<String> wrapper, boolean requireReady, String maxHeap) throws IOException {
    Running service = launch(projectRoot, dir, name, settings, wrapper, maxHeap);
    try {
      awaitReady(service, requireReady);
    } catch (IOException | RuntimeException e) {
      service.process().close();
      throw e;
    }
    return service;
  }

  /**
   * Waits until the service's {@code /q/health/ready} answers 200, or, unless {@code requireReady},
   * answers at all.
   */
  private static void awaitReady(Running service, boolean requireReady) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI ready = URI.create(service.url() + "/q/health/ready");
    service.process().awaitReady(() -> requireReady ? status(http, ready) == 200 : status(http, ready) > 0,
        Duration.ofSeconds(120));
  }

  /** Starts the service's process with its settings, without waiting for it. */
  private static Running launch(Path projectRoot, Path dir, String name, Map<String, String> settings,
      List<String> wrapper, String maxHeap) throws IOException {
    Path jar = applicationJar(projectRoot, name);
    if (!Files.isRegularFile(jar)) {
      throw new IOException(name + " is not packaged: " + jar + " is missing (run ./mvnw package -DskipTests)");
    }
    int port = Ports.free();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("quarkus.http.host", "127.0.0.1");
    all.put("quarkus.http.port", Integer.toString(port));
    all.putAll(settings);
    writeConfig(dir.resolve("config/application.properties"), all);
    List<String> command = new ArrayList<>(wrapper);
    // C1 only, as the images run them (DESIGN, "C1 only"); -Drebound.local-servers.java-options=
    // -XX:TieredStopAtLevel=4 brings C2 back.
    command.addAll(Java.command(List.of("-XX:TieredStopAtLevel=1"), "-Xms32m", "-Xmx" + maxHeap, "-jar",
        jar.toString()));
    ManagedProcess process = ManagedProcess.start(name, command, dir, dir.resolve(name + ".log"), Map.of());
    return new Running(name, port, process);
  }

  /** What each service needs to reach the servers. */
  static Map<String, String> settings(String name, KafkaBroker kafka, S3Server s3, KubeCluster kube) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    if (!name.equals("item-restorer")) {
      // The coordinator reads backups; the status-reporter lists them and writes restores' files;
      // the volume-restorer restores pod volumes from the restic repositories beside them.
      s.put("quarkus.s3.endpoint-override", s3.endpoint());
      s.put("quarkus.s3.aws.region", S3Server.REGION);
      s.put("quarkus.s3.aws.credentials.type", "static");
      s.put("quarkus.s3.aws.credentials.static-provider.access-key-id", s3.accessKey());
      s.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", s3.secretKey());
      s.put("rebound.storage.bucket", BUCKET);
    }
    if (name.equals("restore-coordinator") || name.equals("item-restorer")) {
      // They seal and open item tasks: the broker's key, in this mode-600 file only.
      s.put("rebound.service.payload-key", kafka.payloadKey());
    }
    switch (name) {
      case "restore-coordinator" ->
          // Discovery of the target cluster resolves a restore's resource names.
          s.put("rebound.coordinator.clusters.default.kubeconfig", kube.adminKubeconfig().toString());
      case "item-restorer" ->
          s.put("rebound." + name + ".clusters.default.kubeconfig", kube.adminKubeconfig().toString());
      case "volume-restorer" -> {
        s.put("rebound." + name + ".clusters.default.kubeconfig", kube.adminKubeconfig().toString());
        // The local node's pods, when the cluster has the node (KubeNode): their volumes are here.
        s.put("rebound.volume-restorer.node-name", KubeNode.NAME);
        s.put("rebound.volume-restorer.pods-dir", KubeNode.podsDir().toString());
      }
      case "status-reporter" ->
          // The API authenticates callers with this cluster's TokenReviews and asks its RBAC
          // (SubjectAccessReviews): the local cluster is the management cluster.
          s.put("rebound.auth.kubernetes.kubeconfig", kube.adminKubeconfig().toString());
      default -> { }
    }
    return s;
  }

  private static void writeConfig(Path file, Map<String, String> settings) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder("# Written by the local stack for this run.\n");
    settings.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text);
  }

  static int status(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
