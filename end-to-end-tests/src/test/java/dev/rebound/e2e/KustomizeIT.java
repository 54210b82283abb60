package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.LocalServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kustomization under {@code k8s/} that users apply (the base, the target-cluster RBAC and
 * each directory under {@code k8s/overlays}, listed at run time so a new overlay is checked too)
 * builds with kubectl's kustomize and passes a server-side dry run of a real kube-apiserver, with
 * the vendored CRDs of Strimzi, the Prometheus Operator and KEDA installed: unknown fields, wrong
 * types, missing namespaces and invalid objects fail it with kubectl's own message. The
 * ServiceAccounts' permissions are then asked of the API server's authorizer, row by row of the
 * README's RBAC table.
 *
 * <p>The API server is 1.20, which serves neither autoscaling/v2 nor policy/v1 (newer clusters
 * serve only those), so each kustomization is built with {@code components/kubernetes-1.20} added,
 * which changes only those two apiVersions. The cluster is this class's own: the local overlay
 * pins ClusterIPs, which Services that other tests create could already hold, and the CRDs would
 * change the other tests' discovery.
 */
class KustomizeIT {

  private static final Path ROOT = Path.of(System.getProperty("rebound.project.root")).toAbsolutePath().normalize();
  private static final Path K8S = ROOT.resolve("k8s");
  private static final Path CRDS = ROOT.resolve("../shared/testdata/crds").normalize();
  private static final List<String> CRD_PROJECTS = List.of("strimzi", "prometheus-operator", "keda");
  private static final Path WORK = Path.of("target", "kustomize-it").toAbsolutePath();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static KubeCluster kube;
  private static Kubectl kubectl;
  private static boolean rbacApplied;

  @BeforeAll
  static void startClusterWithCrds() throws Exception {
    LocalOverlayKey.ensure(ROOT);
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    kube = KubeCluster.start(LocalServers.runDir().resolve("kube-kustomize"), KubeBinaries.locate());
    // Setup and dry runs keep separate discovery caches, so the dry runs see the installed CRDs.
    kubectl = new Kubectl(kube.adminKubeconfig(), WORK, Duration.ofSeconds(180));
    for (String project : CRD_PROJECTS) {
      try (Stream<Path> files = Files.list(CRDS.resolve(project))) {
        for (Path crd : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          // The two adjustments of testdata/crds/README.md: no client-side validation (kubectl
          // 1.32 rejects the CEL keys a 1.20 server ignores), no `default: ""` (1.20 rejects it).
          // Created, not applied: a server-side apply refuses the CEL keys too, and a client-side
          // one would store Strimzi's large CRDs again in an annotation (the cluster is new).
          String text = Files.readString(crd).replaceAll("(?m)^ *default: \"\"\\R", "");
          run(text, "setup", "create", "--validate=false", "-f", "-");
        }
      }
    }
    run(null, "setup", "wait", "--for=condition=Established", "--timeout=120s", "crd", "--all");
  }

  @AfterAll
  static void stopCluster() {
    if (kube != null) {
      kube.close();
    }
  }

  /** The kustomizations users apply, relative to k8s/. */
  static List<String> kustomizations() throws IOException {
    List<String> dirs = new ArrayList<>(List.of("base", "target-cluster"));
    try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
      overlays.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .map(d -> "overlays/" + d.getFileName()).sorted().forEach(dirs::add);
    }
    return dirs;
  }

  @Test
  void everyOverlayTheReadmeDescribesIsChecked() throws IOException {
    assertTrue(kustomizations().containsAll(
            List.of("overlays/local", "overlays/strimzi", "overlays/external-kafka", "overlays/keda")),
        kustomizations().toString());
  }

  @Test
  void theBaseUsesTheApisOfCurrentClusters() throws Exception {
    String base = run(null, "build", "kustomize", K8S.resolve("base").toString());
    assertTrue(base.contains("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler"), base);
    assertTrue(base.contains("apiVersion: policy/v1\nkind: PodDisruptionBudget"), base);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void isAcceptedByTheApiServer(String dir) throws Exception {
    String manifests = run(null, "build", "kustomize", forThisServer(dir).toString());
    List<JsonNode> objects = documents(manifests);
    assertFalse(objects.isEmpty(), dir + " builds to nothing");

    // A dry run creates nothing, so the namespaces the objects go to must exist for real.
    for (String namespace : namespaces(objects)) {
      run("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + namespace + "\n",
          "setup", "apply", "--server-side", "-f", "-");
    }
    String applied = run(manifests, "dry-run",
        "apply", "--server-side", "--dry-run=server", "--field-manager=rebound-kustomize-it", "-f", "-");
    long accepted = applied.lines().filter(l -> l.endsWith("(server dry run)")).count();
    assertEquals(objects.size(), accepted, "every object of " + dir + " is dry-run applied:\n" + applied);
  }

  /** The README's RBAC table, asked of the API server's authorizer for each ServiceAccount. */
  @ParameterizedTest(name = "{0} {1} {2}: {3}")
  @CsvSource({
      // service account, verb, resource (with -n and --subresource as kubectl takes them), allowed
      "restore-coordinator, get, configmaps -n velero, yes",
      "restore-coordinator, list, configmaps -n velero, no",
      "restore-coordinator, create, configmaps -n velero, yes",
      "restore-coordinator, delete, configmaps -n velero, yes",
      "restore-coordinator, update, configmaps -n velero, no",
      "restore-coordinator, get, pods -n shop, yes",
      "restore-coordinator, create, pods --subresource=exec -n shop, yes",
      "restore-coordinator, create, deployments.apps -n shop, no",
      "restore-coordinator, get, secrets -n shop, no",
      "item-restorer, create, deployments.apps -n shop, yes",
      "item-restorer, patch, customresourcedefinitions.apiextensions.k8s.io, yes",
      "item-restorer, update, deployments.apps --subresource=status -n shop, yes",
      "item-restorer, get, secrets -n shop, yes",
      "item-restorer, list, configmaps -n velero, yes",
      "item-restorer, escalate, clusterroles.rbac.authorization.k8s.io, yes",
      "item-restorer, bind, clusterroles.rbac.authorization.k8s.io, yes",
      "item-restorer, delete, pods -n shop, no",
      "item-restorer, watch, pods -n shop, no",
      "item-restorer, impersonate, users, no",
      "volume-restorer, watch, persistentvolumeclaims -n shop, yes",
      "volume-restorer, list, persistentvolumes, yes",
      "volume-restorer, get, pods -n shop, yes",
      "volume-restorer, create, pods -n shop, no",
      "volume-restorer, get, secrets -n shop, no",
      "volume-restorer, get, secrets/velero-repo-credentials -n velero, yes",
      "volume-restorer, patch, podvolumerestores.velero.io -n velero, yes",
      "volume-restorer, create, podvolumerestores.velero.io -n velero, no",
      "restore-coordinator, get, podvolumerestores.velero.io -n velero, yes",
      "item-restorer, create, podvolumerestores.velero.io -n velero, yes",
      "status-reporter, get, pods -n rebound, no",
      "status-reporter, get, configmaps -n rebound, no",
      "status-reporter, create, tokenreviews.authentication.k8s.io, yes",
      "status-reporter, create, subjectaccessreviews.authorization.k8s.io, yes",
      "status-reporter, create, restores.velero.io -n velero, yes",
      "status-reporter, watch, restores.velero.io -n velero, yes",
      "status-reporter, patch, restores.velero.io -n velero, yes",
      "status-reporter, delete, restores.velero.io -n velero, yes",
      "status-reporter, create, backups.velero.io -n velero, no",
      "status-reporter, get, deployments.apps/velero -n velero, yes",
      "status-reporter, get, deployments.apps/other -n velero, no",
      "status-reporter, watch, downloadrequests.velero.io -n velero, yes",
      "status-reporter, patch, downloadrequests.velero.io -n velero, yes",
      "status-reporter, delete, downloadrequests.velero.io -n velero, yes",
      "status-reporter, create, downloadrequests.velero.io -n velero, no",
      "status-reporter, watch, backupstoragelocations.velero.io -n velero, yes",
      "status-reporter, patch, backupstoragelocations.velero.io -n velero, yes",
      "status-reporter, delete, backupstoragelocations.velero.io -n velero, no",
      "status-reporter, get, secrets -n velero, no",
  })
  void theServiceAccountsMayDoWhatTheReadmeSays(String account, String verb, String resource, String allowed)
      throws Exception {
    applyTargetClusterRbac();
    List<String> args = new ArrayList<>(List.of("auth", "can-i", verb));
    args.addAll(List.of(resource.split(" ")));
    args.add("--as=system:serviceaccount:rebound:" + account);
    Kubectl.Result answer = kubectl.call(null, "setup", args.toArray(String[]::new));
    assertEquals(allowed, answer.out().strip(), String.join(" ", args) + ": " + answer.err());
  }

  private static synchronized void applyTargetClusterRbac() throws Exception {
    if (!rbacApplied) {
      String manifests = run(null, "build", "kustomize", K8S.resolve("target-cluster").toString());
      run(manifests, "setup", "apply", "--server-side", "--field-manager=rebound-kustomize-it", "-f", "-");
      // The management cluster's RBAC of the base: the status-reporter's TokenReviews and SubjectAccessReviews,
      // and Velero's objects it handles (their CRDs too, so that the authorizer knows the resources).
      StringBuilder bindings = new StringBuilder();
      for (JsonNode object : documents(run(null, "build-base", "kustomize", forThisServer("base").toString()))) {
        if (List.of("ClusterRoleBinding", "ClusterRole", "CustomResourceDefinition")
            .contains(object.path("kind").asText())) {
          bindings.append("---\n").append(YAML.writeValueAsString(object));
        }
      }
      assertFalse(bindings.isEmpty(), "k8s/base binds the status-reporter to system:auth-delegator");
      run(bindings.toString(), "setup", "apply", "--server-side", "--field-manager=rebound-kustomize-it", "-f", "-");
      rbacApplied = true;
    }
  }

  /**
   * A kustomization of {@code dir} (relative to k8s/) with the component for this 1.20 API server;
   * {@code dir} itself when it has that component already (the local overlay), since a JSON patch
   * that removes a field cannot run twice.
   */
  private static Path forThisServer(String dir) throws IOException {
    if (java.util.regex.Pattern.compile("(?m)^\\s*-\\s*\\S*components/kubernetes-1\\.20/?\\s*$")
        .matcher(Files.readString(K8S.resolve(dir).resolve("kustomization.yaml"))).find()) {
      return K8S.resolve(dir);
    }
    Path wrapper = WORK.resolve(dir.replace('/', '-'));
    Files.createDirectories(wrapper);
    Files.writeString(wrapper.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - %s
        components:
          - %s
        """.formatted(wrapper.relativize(K8S.resolve(dir)), wrapper.relativize(K8S.resolve("components/kubernetes-1.20"))));
    return wrapper;
  }

  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode object = it.next();
        if (object != null && !object.isNull() && !object.isEmpty()) {
          objects.add(object);
        }
      }
    }
    return objects;
  }

  private static Set<String> namespaces(List<JsonNode> objects) {
    Set<String> namespaces = new TreeSet<>();
    for (JsonNode object : objects) {
      if (object.path("kind").asText().equals("Namespace") && object.path("apiVersion").asText().equals("v1")) {
        namespaces.add(object.path("metadata").path("name").asText());
      }
      String namespace = object.path("metadata").path("namespace").asText("");
      if (!namespace.isEmpty()) {
        namespaces.add(namespace);
      }
    }
    return namespaces;
  }

  /** Runs kubectl against this class's cluster; see {@link Kubectl#run}. */
  private static String run(String stdin, String cache, String... args) throws Exception {
    return kubectl.run(stdin, cache, args);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
