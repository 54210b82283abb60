package dev.rebound.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane: etcd, kube-apiserver (RBAC on, token authentication) and
 * kube-controller-manager (service accounts and their tokens, PV binding, namespace deletion).
 * There is no kubelet, so pods are accepted but never run. Two users: an admin in
 * {@code system:masters} and a restricted user bound to nothing, each with its own kubeconfig.
 *
 * <p>When this machine has Docker's bridge ({@link HostBridge}), the API server also listens there
 * (it binds all addresses; its certificate names the bridge address), so containers reach it through
 * {@link #containerKubeconfig()}.
 */
public final class KubeCluster implements AutoCloseable {

  public static final String ADMIN_USER = "rebound-admin";
  public static final String RESTRICTED_USER = "rebound-restricted";
  public static final String SERVICE_CIDR = "10.0.0.0/24";
  public static final String NODE_PORT_RANGE = "30000-32767";

  private final int port;
  private final int etcdPort;
  private final KubePki pki;
  private final Path adminKubeconfig;
  private final Path restrictedKubeconfig;
  private final Path containerKubeconfig;
  private final List<ManagedProcess> processes;

  private KubeCluster(int port, int etcdPort, KubePki pki, Path admin, Path restricted, Path container,
      List<ManagedProcess> processes) {
    this.port = port;
    this.etcdPort = etcdPort;
    this.containerKubeconfig = container;
    this.pki = pki;
    this.adminKubeconfig = admin;
    this.restrictedKubeconfig = restricted;
    this.processes = processes;
  }

  public static KubeCluster start(Path dir, KubeBinaries binaries) throws IOException {
    return start(dir, binaries, null, "/registry", false);
  }

  /**
   * A light member of a fleet (bench-fleet): an API server of its own without a controller-manager
   * (a restore of ConfigMaps and Secrets needs none), on the etcd of {@code etcdOf} under a key
   * prefix of its own ({@code /registry-<dir's name>}, so no member sees another's objects), or on an
   * etcd of its own when {@code etcdOf} is null. Close the members on {@code etcdOf}'s etcd before it.
   */
  public static KubeCluster startLight(Path dir, KubeBinaries binaries, KubeCluster etcdOf) throws IOException {
    return etcdOf == null ? start(dir, binaries, null, "/registry", true)
        : start(dir, binaries, etcdOf.etcdPort, "/registry-" + dir.getFileName(), true);
  }

  /** A full cluster ({@code light} false) or a light member of a fleet ({@link #startLight}). */
  private static KubeCluster start(Path dir, KubeBinaries binaries, Integer sharedEtcd, String etcdPrefix,
      boolean light) throws IOException {
    Files.createDirectories(dir);
    java.util.Optional<String> bridge = HostBridge.address();
    KubePki pki = KubePki.create(dir.resolve("pki"), bridge.stream().toList());
    List<ManagedProcess> started = new ArrayList<>();
    try {
      int etcdPort;
      if (sharedEtcd == null) {
        started.add(startEtcd(dir, binaries));
        etcdPort = Integer.parseInt(Files.readString(dir.resolve("etcd.port")).strip());
      } else {
        etcdPort = sharedEtcd;
      }
      int port = Ports.free();
      ManagedProcess apiserver = ManagedProcess.start("kube-apiserver",
          apiserverCommand(binaries, pki, dir, port, etcdPort, etcdPrefix, bridge.orElse(null)), dir,
          dir.resolve("kube-apiserver.log"), Map.of());
      started.add(apiserver);
      HttpClient http = HttpClient.newBuilder().sslContext(pki.sslContext())
          .connectTimeout(Duration.ofSeconds(1)).build();
      URI readyz = URI.create("https://127.0.0.1:" + port + "/readyz");
      apiserver.awaitReady(() -> ok(http, readyz, pki.adminToken()), Duration.ofSeconds(90));

      String server = "https://127.0.0.1:" + port;
      Path admin = writeKubeconfig(dir.resolve("admin.kubeconfig"), server, pki, ADMIN_USER, pki.adminToken());
      Path restricted = writeKubeconfig(
          dir.resolve("restricted.kubeconfig"), server, pki, RESTRICTED_USER, pki.restrictedToken());
      Path container = null;
      if (bridge.isPresent()) {
        container = writeKubeconfig(dir.resolve("container.kubeconfig"),
            "https://" + bridge.get() + ":" + port, pki, ADMIN_USER, pki.adminToken());
        // Containers run as their own non-root users and read it through a read-only mount.
        container.toFile().setReadable(true, false);
      }
      if (!light) {
        started.add(ManagedProcess.start(
            "kube-controller-manager", controllerManagerCommand(binaries, pki, admin), dir,
            dir.resolve("kube-controller-manager.log"), Map.of()));
      }
      return new KubeCluster(port, etcdPort, pki, admin, restricted, container, started);
    } catch (IOException | RuntimeException e) {
      started.forEach(ManagedProcess::close);
      throw e;
    }
  }

  public String apiServerUrl() {
    return "https://127.0.0.1:" + port;
  }

  KubePki pki() {
    return pki;
  }

  /** Writes a kubeconfig for {@code user} with {@code token}, the API server at 127.0.0.1. */
  Path kubeconfig(Path file, String user, String token) throws IOException {
    return writeKubeconfig(file, apiServerUrl(), pki, user, token);
  }

  /**
   * Writes the admin's kubeconfig with another address for the API server, for example a proxy
   * in front of it on 127.0.0.1 (the server certificate names that address).
   */
  public Path adminKubeconfigVia(Path file, String server) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return writeKubeconfig(file, server, pki, ADMIN_USER, pki.adminToken());
  }

  public Path caCertFile() {
    return pki.caCert();
  }

  public String adminToken() {
    return pki.adminToken();
  }

  public String restrictedToken() {
    return pki.restrictedToken();
  }

  public Path adminKubeconfig() {
    return adminKubeconfig;
  }

  public Path restrictedKubeconfig() {
    return restrictedKubeconfig;
  }

  /** The admin kubeconfig with the API server at the Docker bridge's address, for containers and pods. */
  public Path containerKubeconfig() {
    if (containerKubeconfig == null) {
      HostBridge.require("containers");
      throw new IllegalStateException("the cluster started before Docker's bridge existed; restart it");
    }
    return containerKubeconfig;
  }

  public List<ManagedProcess> processes() {
    return List.copyOf(processes);
  }

  /** Stops the controller-manager, the API server, then etcd (those it started). */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  private static ManagedProcess startEtcd(Path dir, KubeBinaries binaries) throws IOException {
    int client = Ports.free();
    int peer = Ports.free();
    int metrics = Ports.free();
    Files.writeString(dir.resolve("etcd.port"), Integer.toString(client));
    ManagedProcess etcd = ManagedProcess.start("etcd", List.of(
        binaries.etcd().toString(),
        "--name=rebound",
        "--data-dir=" + dir.resolve("etcd-data"),
        "--listen-client-urls=http://127.0.0.1:" + client,
        "--advertise-client-urls=http://127.0.0.1:" + client,
        "--listen-peer-urls=http://127.0.0.1:" + peer,
        "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
        "--initial-cluster=rebound=http://127.0.0.1:" + peer,
        "--listen-metrics-urls=http://127.0.0.1:" + metrics,
        "--log-level=warn"),
        dir, dir.resolve("etcd.log"), Map.of());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI health = URI.create("http://127.0.0.1:" + client + "/health");
    etcd.awaitReady(() -> ok(http, health, null), Duration.ofSeconds(30));
    return etcd;
  }

  private static List<String> apiserverCommand(
      KubeBinaries binaries, KubePki pki, Path dir, int port, int etcdPort, String etcdPrefix, String bridge) {
    return List.of(
        binaries.apiserver().toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--etcd-prefix=" + etcdPrefix,
        // With Docker's bridge, containers reach the API server there (the flag takes one address).
        "--bind-address=" + (bridge == null ? "127.0.0.1" : "0.0.0.0"),
        "--advertise-address=" + (bridge == null ? "127.0.0.1" : bridge),
        "--secure-port=" + port,
        "--insecure-port=0",
        "--cert-dir=" + dir.resolve("apiserver-certs"),
        "--tls-cert-file=" + pki.servingCert(),
        "--tls-private-key-file=" + pki.servingKey(),
        "--client-ca-file=" + pki.caCert(),
        "--token-auth-file=" + pki.tokenFile(),
        "--service-account-key-file=" + pki.serviceAccountPublicKey(),
        "--service-account-signing-key-file=" + pki.serviceAccountKey(),
        "--service-account-issuer=https://kubernetes.default.svc",
        "--api-audiences=https://kubernetes.default.svc",
        "--authorization-mode=Node,RBAC",
        "--service-cluster-ip-range=" + SERVICE_CIDR,
        "--service-node-port-range=" + NODE_PORT_RANGE,
        "--allow-privileged=true",
        // The kubernetes Service's endpoint is the advertised address: pods reach it through the
        // bridge; a loopback one would only log errors.
        "--endpoint-reconciler-type=" + (bridge == null ? "none" : "lease"),
        // Logs, exec and port-forward go through a node's kubelet (KubeNode), as system:masters.
        "--kubelet-client-certificate=" + pki.cert("apiserver-kubelet-client"),
        "--kubelet-client-key=" + pki.key("apiserver-kubelet-client"),
        "--kubelet-preferred-address-types=InternalIP,Hostname",
        "--profiling=false",
        "--v=1");
  }

  private static List<String> controllerManagerCommand(KubeBinaries binaries, KubePki pki, Path kubeconfig) {
    return List.of(
        binaries.controllerManager().toString(),
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=127.0.0.1",
        "--secure-port=" + Ports.free(),
        "--port=0",
        "--leader-elect=false",
        "--service-account-private-key-file=" + pki.serviceAccountKey(),
        "--root-ca-file=" + pki.caCert(),
        "--cluster-signing-cert-file=" + pki.caCert(),
        "--cluster-signing-key-file=" + pki.caKey(),
        // No cloud: only the controllers a restore relies on, and node lifecycle, which lifts a
        // KubeNode's not-ready taint once its kubelet reports Ready (nothing schedules before that).
        "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service,-route,-attachdetach,-ttl",
        "--v=1");
  }

  private static Path writeKubeconfig(Path file, String server, KubePki pki, String user, String token)
      throws IOException {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: rebound-local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: %s@rebound-local
          context:
            cluster: rebound-local
            user: %s
            namespace: default
        current-context: %s@rebound-local
        """.formatted(server, pki.caCertBase64(), user, token, user, user, user);
    Files.writeString(file, yaml);
    return file;
  }

  private static boolean ok(HttpClient http, URI uri, String token) {
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2));
      if (token != null) {
        req.header("Authorization", "Bearer " + token);
      }
      return http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
