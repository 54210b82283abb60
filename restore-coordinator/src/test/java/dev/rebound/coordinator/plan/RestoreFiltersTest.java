package dev.rebound.coordinator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.Json;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 3.3: every selection rule, one row per behaviour. */
class RestoreFiltersTest {

  static RestoreFilters filters(String yaml) {
    try {
      RestoreSpec spec = Json.yaml().readValue("spec:\n" + ("backupName: b\n" + yaml).indent(2), Restore.class).spec();
      return new RestoreFilters(spec, Catalogs.K8S_1_20);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** spec, resource, source namespace (empty = cluster-scoped), name, labels "k=v,..", expected. */
  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("3.3 empty spec selects namespaced items", "", "pods", "shop", "p", "", true),
        Arguments.of("3.3 empty spec selects cluster-scoped items", "", "persistentvolumes", "", "pv", "", true),
        Arguments.of("3.3.1 included resource by short name", "includedResources: [deploy]\n", "deployments.apps", "shop", "d", "", true),
        Arguments.of("3.3.1 included resource by singular leaves others out", "includedResources: [deployment]\n", "pods", "shop", "p", "", false),
        Arguments.of("3.3.1 excluded resource by group-qualified name", "excludedResources: [replicasets.apps]\n", "replicasets.apps", "shop", "r", "", false),
        Arguments.of("3.3.1 unresolvable resource name stays a glob", "includedResources: ['*.example.com']\n", "widgets.example.com", "shop", "w", "", true),
        Arguments.of("3.3.3 must-have resources bypass the resource filter", "includedResources: [pods]\n", "datauploads.velero.io", "velero", "du", "", true),
        Arguments.of("3.3.3 must-have resources bypass the namespace filter", "includedNamespaces: [shop]\n", "volumesnapshotcontents.snapshot.storage.k8s.io", "", "vsc", "", true),
        Arguments.of("3.3.5 namespace include selects", "includedNamespaces: [shop]\n", "pods", "shop", "p", "", true),
        Arguments.of("3.3.5 namespace include leaves others", "includedNamespaces: [shop]\n", "pods", "blog", "p", "", false),
        Arguments.of("3.3.5 namespace glob include", "includedNamespaces: ['shop-*']\n", "pods", "shop-eu", "p", "", true),
        Arguments.of("3.3.5 namespace glob matching nothing selects nothing (deliberate)", "includedNamespaces: ['nomatch-*']\n", "pods", "shop", "p", "", false),
        Arguments.of("3.3.5 namespace exclude wins", "includedNamespaces: ['*']\nexcludedNamespaces: [kube-system]\n", "pods", "kube-system", "p", "", false),
        Arguments.of("3.3.5 namespace filter uses the source namespace, not the mapped one", "includedNamespaces: [shop]\nnamespaceMapping: {shop: shop-dr}\n", "pods", "shop", "p", "", true),
        Arguments.of("3.3.5 cluster-scoped with includeClusterResources unset and a namespace filter", "includedNamespaces: [shop]\n", "persistentvolumes", "", "pv", "", false),
        Arguments.of("3.3.5 cluster-scoped with includeClusterResources unset and star", "includedNamespaces: ['*']\n", "persistentvolumes", "", "pv", "", true),
        Arguments.of("3.3.5 cluster-scoped with includeClusterResources unset and an exclude", "excludedNamespaces: [kube-system]\n", "persistentvolumes", "", "pv", "", false),
        Arguments.of("3.3.5 cluster-scoped with includeClusterResources true and a namespace filter", "includedNamespaces: [shop]\nincludeClusterResources: true\n", "persistentvolumes", "", "pv", "", true),
        Arguments.of("3.3.5 cluster-scoped with includeClusterResources false", "includeClusterResources: false\n", "persistentvolumes", "", "pv", "", false),
        Arguments.of("3.3.5 namespaced items ignore includeClusterResources false", "includeClusterResources: false\n", "pods", "shop", "p", "", true),
        Arguments.of("3.5 Namespace objects pass the namespace filter by name (deliberate)", "includedNamespaces: [shop]\nincludeClusterResources: true\n", "namespaces", "", "blog", "", false),
        Arguments.of("3.5 the selected Namespace object is restored", "includedNamespaces: [shop]\nincludeClusterResources: true\n", "namespaces", "", "shop", "", true),
        Arguments.of("3.3.6 labelSelector matchLabels", "labelSelector: {matchLabels: {app: web}}\n", "pods", "shop", "p", "app=web,tier=fe", true),
        Arguments.of("3.3.6 labelSelector mismatch", "labelSelector: {matchLabels: {app: web}}\n", "pods", "shop", "p", "app=db", false),
        Arguments.of("3.3.6 labelSelector In", "labelSelector: {matchExpressions: [{key: tier, operator: In, values: [fe, be]}]}\n", "pods", "shop", "p", "tier=be", true),
        Arguments.of("3.3.6 labelSelector NotIn with the label absent", "labelSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [fe]}]}\n", "pods", "shop", "p", "", true),
        Arguments.of("3.3.6 labelSelector Exists", "labelSelector: {matchExpressions: [{key: app, operator: Exists}]}\n", "pods", "shop", "p", "", false),
        Arguments.of("3.3.6 labelSelector DoesNotExist", "labelSelector: {matchExpressions: [{key: app, operator: DoesNotExist}]}\n", "pods", "shop", "p", "x=y", true),
        Arguments.of("3.3.6 orLabelSelectors: one match is enough", "orLabelSelectors: [{matchLabels: {app: a}}, {matchLabels: {app: b}}]\n", "pods", "shop", "p", "app=b", true),
        Arguments.of("3.3.6 orLabelSelectors: no match", "orLabelSelectors: [{matchLabels: {app: a}}, {matchLabels: {app: b}}]\n", "pods", "shop", "p", "app=c", false),
        Arguments.of("3.3.6 must-haves skip label selectors", "labelSelector: {matchLabels: {app: web}}\n", "datauploads.velero.io", "velero", "du", "", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void selectsAsVeleroDoes(String name, String yaml, String gr, String ns, String item, String labels, boolean expected) {
    RestoreFilters f = filters(yaml);
    String sourceNs = ns.isEmpty() ? null : ns;
    boolean selected = f.selectsResource(gr) && f.selectsScope(gr, sourceNs, item) && f.selectsLabels(gr, labels(labels));
    assertEquals(expected, selected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void targetNamespaceFollowsTheMapping(String name, String yaml, String source, String target) {
    assertEquals(target, filters(yaml).targetNamespace(source));
  }

  static Stream<Arguments> mappings() {
    return Stream.of(
        Arguments.of("3.3.7 mapped namespace", "namespaceMapping: {shop: shop-dr}\n", "shop", "shop-dr"),
        Arguments.of("3.3.7 unmapped namespace keeps its name", "namespaceMapping: {shop: shop-dr}\n", "blog", "blog"),
        Arguments.of("3.3.7 cluster-scoped items have no namespace", "namespaceMapping: {shop: shop-dr}\n", null, null));
  }

  private static Map<String, String> labels(String csv) {
    if (csv.isEmpty()) {
      return Map.of();
    }
    Map<String, String> m = new java.util.HashMap<>();
    for (String kv : csv.split(",")) {
      String[] p = kv.split("=");
      m.put(p[0], p[1]);
    }
    return m;
  }
}
