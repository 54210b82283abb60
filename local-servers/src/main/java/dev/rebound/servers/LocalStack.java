package dev.rebound.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The local stack behind {@code ./rebound}: a Kafka broker, S3Proxy, a kube-apiserver with etcd and
 * kube-controller-manager, a node (kubelet, kube-scheduler, kube-proxy) so restored pods run, and the
 * four services, all on 127.0.0.1 (the API server and the node also on Docker's bridge, for pods). {@code run} starts everything,
 * writes the endpoints to {@code .rebound/stack.properties} and stays in the foreground until
 * Ctrl-C or {@code down}; {@code down} stops a running stack; {@code status} prints its endpoints.
 */
public final class LocalStack {

  /** The endpoints file scripts read; its keys are documented in the README. */
  public static final String STACK_FILE = "stack.properties";
  /** Velero's PodVolumeRestore CRD as k8s/target-cluster installs it. */
  static final String POD_VOLUME_RESTORE_CRD = "k8s/target-cluster/crds/velero.io_podvolumerestores.yaml";
  /** Velero's Restore and DownloadRequest CRDs as k8s/base installs them in the management cluster. */
  static final String RESTORE_CRD = "k8s/base/crds/velero.io_restores.yaml";
  static final String DOWNLOAD_REQUEST_CRD = "k8s/base/crds/velero.io_downloadrequests.yaml";

  private final Path root;
  private final Path stateDir;
  private final PrintStream out;
  private final List<AutoCloseable> started = new ArrayList<>();

  LocalStack(Path root, Path stateDir, PrintStream out) {
    this.root = root;
    this.stateDir = stateDir;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    Path state = Path.of(System.getProperty("rebound.state.dir", root.resolve(".rebound").toString()));
    LocalStack stack = new LocalStack(root, state.toAbsolutePath().normalize(), System.out);
    String command = args.length == 0 ? "run" : args[0];
    int code = switch (command) {
      case "run" -> stack.run();
      case "down" -> stack.down();
      case "status" -> stack.status();
      default -> {
        System.err.println("unknown command \"" + command + "\"; use run, down or status");
        yield 2;
      }
    };
    System.exit(code);
  }

  int run() throws IOException, InterruptedException {
    Properties previous = readStackFile();
    if (previous != null && alive(previous.getProperty("launcher.pid"))) {
      System.err.println("a local stack is already running (pid " + previous.getProperty("launcher.pid")
          + "); stop it with ./rebound down");
      return 1;
    }
    Path runDir = stateDir.resolve("run");
    deleteTree(runDir);
    Files.createDirectories(runDir);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopAll();
      stopped.countDown();
    }, "local-stack-shutdown"));
    Instant begin = Instant.now();
    try {
      out.println("Starting Kafka, S3Proxy and Kubernetes (etcd, kube-apiserver, kube-controller-manager, "
          + "a node)...");
      KafkaBroker kafka = track(KafkaBroker.start(runDir.resolve("kafka")));
      report("kafka", kafka.bootstrapServers(), kafka.process().log());
      S3Server s3 = track(S3Server.start(runDir.resolve("s3")));
      s3.createBucket(ReboundServices.BUCKET);
      report("s3proxy", s3.endpoint() + " (bucket " + ReboundServices.BUCKET + ")", s3.process().log());
      KubeCluster kube = track(KubeCluster.start(runDir.resolve("kube"), KubeBinaries.locate()));
      report("kube-apiserver", kube.apiServerUrl(), runDir.resolve("kube/kube-apiserver.log"));
      KubeNode node = track(KubeNode.start(kube, runDir.resolve("node"), KubeBinaries.locate()));
      report("node " + KubeNode.NAME, "kubelet, kube-scheduler, kube-proxy (Ready)", runDir.resolve("node/kubelet.log"));
      // What k8s/target-cluster gives a target cluster (Velero's PodVolumeRestore CRD) and k8s/base the
      // management cluster (its Restore and DownloadRequest CRDs): this one cluster is both.
      ManagedProcess.runToCompletion("Velero CRDs", List.of("kubectl", "--kubeconfig",
          kube.adminKubeconfig().toString(), "apply", "-f", root.resolve(POD_VOLUME_RESTORE_CRD).toString(),
          "-f", root.resolve(RESTORE_CRD).toString(), "-f", root.resolve(DOWNLOAD_REQUEST_CRD).toString()), root,
          runDir.resolve("kube/crds.log"),
          Duration.ofMinutes(1));
      out.println("Starting the Rebound services...");
      ReboundServices services = track(ReboundServices.start(root, runDir, kafka, s3, kube, java.util.Map.of(
          "status-reporter", java.util.Map.of("rebound.restore-objects.enabled", "true",
              "rebound.download-requests.enabled", "true")), List.of()));
      for (ReboundServices.Running r : services.running()) {
        report(r.name(), r.url() + " (ready)", r.process().log());
      }
      writeStackFile(kafka, s3, kube, node, services);
      out.printf("%nRebound local stack is up in %d s. Endpoints for scripts: %s%n",
          Duration.between(begin, Instant.now()).toSeconds(), stateDir.resolve(STACK_FILE));
      out.println("  kubectl --kubeconfig " + kube.adminKubeconfig() + " get namespaces");
      out.println("  curl -H \"Authorization: Bearer $(grep ^api.token= " + stateDir.resolve(STACK_FILE) + " | cut -d= -f2)\" "
          + services.get("status-reporter").url() + "/api/v1/restores   (the restore API)");
      out.println("Stop it with ./rebound down, or Ctrl-C when it runs in the foreground.");
      out.flush();
    } catch (IOException | RuntimeException e) {
      System.err.println("local stack failed to start: " + e.getMessage());
      return 1;
    }
    stopped.await();
    return 0;
  }

  int down() throws IOException, InterruptedException {
    Properties stack = readStackFile();
    if (stack == null) {
      out.println("No local stack is running.");
      return 0;
    }
    List<ProcessHandle> rest = new ArrayList<>();
    for (String pid : stack.getProperty("pids", "").split(",")) {
      handle(pid).ifPresent(rest::add);
    }
    // The launcher's shutdown hook stops its servers in order: the services while the broker still
    // runs (a service stopped after it waits on its Kafka clients), the broker last. Its servers are
    // signalled only if it is gone or did not finish in time.
    java.util.Optional<ProcessHandle> launcher = handle(stack.getProperty("launcher.pid"));
    launcher.ifPresent(ProcessHandle::destroy);
    awaitGone(launcher.stream().toList(), Duration.ofSeconds(60));
    rest.forEach(ProcessHandle::destroy);
    awaitGone(rest, Duration.ofSeconds(20));
    launcher.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
    rest.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    Files.deleteIfExists(stateDir.resolve(STACK_FILE));
    out.println("Local stack stopped.");
    return 0;
  }

  private static void awaitGone(List<ProcessHandle> processes, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (processes.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
  }

  int status() throws IOException {
    Properties stack = readStackFile();
    if (stack == null || !alive(stack.getProperty("launcher.pid"))) {
      out.println("No local stack is running.");
      return 1;
    }
    stack.stringPropertyNames().stream().sorted().filter(k -> !k.contains("secret"))
        .forEach(k -> out.println(k + "=" + stack.getProperty(k)));
    return 0;
  }

  private void report(String component, String where, Path log) {
    out.printf("  %-20s %-55s log: %s%n", component, where, log);
    out.flush();
  }

  private <T extends AutoCloseable> T track(T server) {
    synchronized (started) {
      started.add(server);
    }
    return server;
  }

  private void stopAll() {
    List<AutoCloseable> toStop;
    synchronized (started) {
      toStop = new ArrayList<>(started);
      started.clear();
    }
    if (toStop.isEmpty()) {
      return;
    }
    out.println("Stopping the local stack...");
    for (int i = toStop.size() - 1; i >= 0; i--) {
      try {
        toStop.get(i).close();
      } catch (Exception e) {
        System.err.println("Stopping " + toStop.get(i) + " failed: " + e.getMessage());
      }
    }
    try {
      Files.deleteIfExists(stateDir.resolve(STACK_FILE));
    } catch (IOException e) {
      System.err.println("Cannot remove " + stateDir.resolve(STACK_FILE) + ": " + e.getMessage());
    }
    out.println("Local stack stopped.");
    out.flush();
  }

  private void writeStackFile(KafkaBroker kafka, S3Server s3, KubeCluster kube, KubeNode node,
      ReboundServices services)
      throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("launcher.pid", Long.toString(ProcessHandle.current().pid()));
    p.put("kafka.bootstrap-servers", kafka.bootstrapServers());
    p.put("s3.endpoint", s3.endpoint());
    p.put("s3.region", S3Server.REGION);
    p.put("s3.bucket", ReboundServices.BUCKET);
    p.put("s3.access-key", s3.accessKey());
    p.put("s3.secret-key", s3.secretKey());
    p.put("kube.api-server", kube.apiServerUrl());
    p.put("kube.kubeconfig", kube.adminKubeconfig().toString());
    p.put("kube.restricted-kubeconfig", kube.restrictedKubeconfig().toString());
    // The API authenticates callers with the cluster's TokenReview: the admin's token is a super-admin's.
    p.put("api.token", kube.adminToken());
    // The node whose pods' volumes the stack's volume-restorer restores.
    p.put("kube.node", KubeNode.NAME);
    for (ReboundServices.Running r : services.running()) {
      p.put(r.name() + ".url", r.url());
    }
    // The one base URL of the restore API (served by the status-reporter).
    p.put("api.url", services.get("status-reporter").url());
    List<Long> pids = new ArrayList<>(kafka.process().pids());
    pids.addAll(s3.process().pids());
    kube.processes().forEach(m -> pids.addAll(m.pids()));
    node.processes().forEach(m -> pids.addAll(m.pids()));
    services.running().forEach(r -> pids.addAll(r.process().pids()));
    p.put("pids", pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
    String text = "# The running local stack's endpoints, written by ./rebound; removed when it stops.\n"
        + p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")) + "\n";
    Path file = stateDir.resolve(STACK_FILE);
    Path tmp = stateDir.resolve(STACK_FILE + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private Properties readStackFile() throws IOException {
    Path file = stateDir.resolve(STACK_FILE);
    if (!Files.exists(file)) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  private static java.util.Optional<ProcessHandle> handle(String pid) {
    if (pid == null || pid.isBlank()) {
      return java.util.Optional.empty();
    }
    try {
      return ProcessHandle.of(Long.parseLong(pid.strip())).filter(ProcessHandle::isAlive);
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private static boolean alive(String pid) {
    return handle(pid).isPresent();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
