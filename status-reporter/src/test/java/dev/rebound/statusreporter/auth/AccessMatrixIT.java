package dev.rebound.statusreporter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import dev.rebound.servers.LocalServers;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 acceptance 2 and 3, against the real kube-apiserver (RBAC, TokenReview,
 * SubjectAccessReview), a real OIDC issuer, and the real broker and S3 server: every caller
 * against every endpoint gets exactly the expected 401, 403 or success, with Kubernetes
 * {@code Status} bodies naming the missing permission; {@code rebound.dev/created-by} is the
 * authenticated user, never what the body says.
 */
@QuarkusTest
@TestProfile(AccessMatrixIT.AuthOn.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
@WithTestResource(OidcIssuerResource.class)
@WithTestResource(AccessMatrixIT.ManagementCluster.class)
class AccessMatrixIT {

  static final String NS = "rebound-access";

  /** Authentication on, both methods, per-cluster access and protected metrics. */
  public static class AuthOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> c = new LinkedHashMap<>();
      c.put("%test.rebound.auth.methods", "kubernetes,oidc");
      c.put("rebound.status-reporter.cancel-wait", "1s");
      c.put("rebound.auth.oidc.username-prefix", "oidc:");
      c.put("rebound.auth.oidc.groups-prefix", "oidc:");
      c.put("rebound.auth.admin-groups", "oidc:rebound-admins");
      c.put("rebound.auth.viewer-groups", "oidc:rebound-viewers");
      c.put("rebound.auth.per-cluster-access", "true");
      c.put("rebound.auth.protect-metrics", "true");
      return c;
    }
  }

  /**
   * The management cluster is this JVM's real API server (a test resource, so the test and the
   * service share it; a test profile is read in another class loader and would start a second one).
   */
  public static class ManagementCluster implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      return Map.of("rebound.auth.kubernetes.kubeconfig", LocalServers.kube().adminKubeconfig().toString());
    }

    @Override
    public void stop() {
      // Shared by every test class of this JVM; stopped when the JVM exits.
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static Map<String, String> tokens;

  @TestHTTPResource("/")
  URL base;

  @ConfigProperty(name = "rebound.auth.oidc.issuer")
  String issuer;

  @ConfigProperty(name = "rebound.auth.kubernetes.kubeconfig")
  java.nio.file.Path kubeconfig;

  /** What a caller may do. */
  enum Rights { NONE, VIEW, ADMIN_DEFAULT_AND_OTHER, ADMIN_OTHER_ONLY }

  /** A caller: its Authorization header (null: none) and its rights; {@code metrics} if it may scrape. */
  record Caller(String name, String authorization, Rights rights, boolean metrics, String username) {}

  /** An endpoint and the answer an allowed caller gets. */
  record Endpoint(String method, String path, String cluster, int allowed) {
    boolean creates() {
      return method.equals("POST");
    }

    /** Needs super-admin: anything but a read. */
    boolean writes() {
      return !method.equals("GET");
    }
  }

  @BeforeEach
  void callers() throws Exception {
    if (tokens != null) {
      return;
    }
    Map<String, String> t = new LinkedHashMap<>();
    try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null,
        Files.readString(kubeconfig), null)).build()) {
      for (String ns : List.of(NS, "velero")) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .createOr(n -> n.update());
      }
      clusterRole(admin, "rebound-test-viewer", new PolicyRuleBuilder().withApiGroups("velero.io")
          .withResources("restores").withVerbs("get", "list", "watch").build());
      clusterRole(admin, "rebound-test-admin",
          new PolicyRuleBuilder().withApiGroups("velero.io").withResources("restores")
              .withVerbs("get", "list", "watch", "create", "delete").build(),
          new PolicyRuleBuilder().withApiGroups("rebound.dev").withResources("clusters").withVerbs("restore").build());
      clusterRole(admin, "rebound-test-other-cluster",
          new PolicyRuleBuilder().withApiGroups("velero.io").withResources("restores")
              .withVerbs("get", "list", "create").build(),
          new PolicyRuleBuilder().withApiGroups("rebound.dev").withResources("clusters")
              .withResourceNames("other").withVerbs("restore").build());
      admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("rebound-test-metrics")
          .endMetadata().withRules(new PolicyRuleBuilder().withNonResourceURLs("/metrics").withVerbs("get").build())
          .build()).createOr(r -> r.update());
      for (String sa : List.of("viewer", "admin", "other")) {
        admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(sa)
            .endMetadata().build()).createOr(r -> r.update());
        t.put(sa, admin.serviceAccounts().inNamespace(NS).withName(sa).tokenRequest(new TokenRequestBuilder()
            .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken());
      }
      bind(admin, "rebound-test-viewer", serviceAccount("viewer"));
      bind(admin, "rebound-test-admin", serviceAccount("admin"),
          new SubjectBuilder().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName("oidc:rebound-admins")
              .build());
      bind(admin, "rebound-test-other-cluster", serviceAccount("other"));
      admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
          .withName("rebound-test-metrics").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
          .withKind("ClusterRole").withName("rebound-test-metrics").endRoleRef()
          .withSubjects(serviceAccount("admin")).build()).createOr(r -> r.update());
    }
    t.put("oidc-admin", mint("alice", "rebound-admins", "valid"));
    t.put("oidc-viewer", mint("victor", "rebound-viewers", "valid"));
    t.put("oidc-nobody", mint("nora", "", "valid"));
    t.put("oidc-expired", mint("alice", "rebound-admins", "expired"));
    t.put("oidc-audience", mint("alice", "rebound-admins", "audience"));
    t.put("oidc-forged", mint("alice", "rebound-admins", "forged"));
    tokens = t;
    // A restore every reading endpoint can find.
    HttpResponse<String> seed = send("POST", "/api/v1/restores", "Bearer " + t.get("admin"), restore("matrix-seed", "default"));
    assertEquals(201, seed.statusCode(), seed.body());
  }

  private static void clusterRole(KubernetesClient admin, String name, io.fabric8.kubernetes.api.model.rbac.PolicyRule... rules) {
    admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
        .withRules(rules).build()).createOr(r -> r.update());
  }

  /** Binds {@code role} in the Velero namespace, where the API's SubjectAccessReviews ask. */
  private static void bind(KubernetesClient admin, String role, Subject... subjects) {
    admin.rbac().roleBindings().inNamespace("velero").resource(new RoleBindingBuilder().withNewMetadata()
        .withName(role).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(role).endRoleRef().withSubjects(subjects).build()).createOr(r -> r.update());
  }

  private static Subject serviceAccount(String name) {
    return new SubjectBuilder().withKind("ServiceAccount").withName(name).withNamespace(NS).build();
  }

  private String mint(String sub, String groups, String kind) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/mint?sub=" + sub + "&groups="
        + URLEncoder.encode(groups, StandardCharsets.UTF_8) + "&kind=" + kind)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String sa(String name) {
    return "system:serviceaccount:" + NS + ":" + name;
  }

  private List<Caller> callers(Map<String, String> t) {
    return List.of(
        new Caller("anonymous", null, Rights.NONE, false, null),
        new Caller("invalid token", "Bearer not-a-token-of-anyone", Rights.NONE, false, null),
        new Caller("not a bearer header", "Basic YWRtaW46YWRtaW4=", Rights.NONE, false, null),
        new Caller("viewer (RBAC)", "Bearer " + t.get("viewer"), Rights.VIEW, false, sa("viewer")),
        new Caller("super-admin (RBAC)", "Bearer " + t.get("admin"), Rights.ADMIN_DEFAULT_AND_OTHER, true, sa("admin")),
        new Caller("admin of cluster other only (RBAC)", "Bearer " + t.get("other"), Rights.ADMIN_OTHER_ONLY, false,
            sa("other")),
        new Caller("super-admin (OIDC admin group)", "Bearer " + t.get("oidc-admin"), Rights.ADMIN_DEFAULT_AND_OTHER,
            true, "oidc:alice"),
        new Caller("viewer (OIDC viewer group)", "Bearer " + t.get("oidc-viewer"), Rights.VIEW, true, "oidc:victor"),
        new Caller("OIDC user in no group", "Bearer " + t.get("oidc-nobody"), Rights.NONE, false, "oidc:nora"),
        new Caller("expired OIDC token", "Bearer " + t.get("oidc-expired"), Rights.NONE, false, null),
        new Caller("OIDC token for another audience", "Bearer " + t.get("oidc-audience"), Rights.NONE, false, null),
        new Caller("forged OIDC token", "Bearer " + t.get("oidc-forged"), Rights.NONE, false, null));
  }

  private static List<Endpoint> endpoints() {
    return List.of(
        new Endpoint("GET", "/api/v1/restores", null, 200),
        new Endpoint("GET", "/api/v1/restores/matrix-seed", null, 200),
        new Endpoint("GET", "/api/v1/restores/matrix-seed/results", null, 200),
        new Endpoint("GET", "/api/v1/restores/matrix-seed/resources", null, 200),
        new Endpoint("GET", "/api/v1/restores/matrix-seed/logs", null, 200),
        new Endpoint("GET", "/api/v1/restores/matrix-seed/dry-run", null, 404), // not a dry run
        new Endpoint("GET", "/api/v1/restores/no-such-restore", null, 404),
        new Endpoint("GET", "/api/v1/backups", null, 200),
        new Endpoint("GET", "/api/v1/backups/no-such-backup", null, 404),
        new Endpoint("GET", "/api/v1/components", null, 200),
        new Endpoint("POST", "/api/v1/restores", "default", 201),
        new Endpoint("POST", "/api/v1/restores", "other", 201),
        // Cancelling and deleting: the restore stays New (no coordinator here), so a cancel is taken but does
        // not end it within the profile's 1s cancel-wait (202), and a deletion is taken and waits for the cancel
        // (200 with deletionTimestamp); per-cluster access is checked against the restore's clusters first.
        new Endpoint("POST", "/api/v1/restores/matrix-seed/cancel", "default", 202),
        new Endpoint("POST", "/api/v1/restores/no-such-restore/cancel", null, 404),
        new Endpoint("DELETE", "/api/v1/restores/matrix-seed", "default", 200),
        new Endpoint("DELETE", "/api/v1/restores/no-such-restore", null, 404),
        new Endpoint("GET", "/q/metrics", null, 200),
        new Endpoint("GET", "/q/health/live", null, 200),
        new Endpoint("GET", "/q/health/ready", null, 200));
  }

  /** The answer {@code caller} must get from {@code endpoint}. */
  private static int expected(Caller caller, Endpoint endpoint) {
    if (endpoint.path().startsWith("/q/health")) {
      return endpoint.allowed();
    }
    if (caller.username() == null) {
      return 401;
    }
    if (endpoint.path().equals("/q/metrics")) {
      return caller.metrics() ? endpoint.allowed() : 403;
    }
    boolean allowed = switch (caller.rights()) {
      case NONE -> false;
      case VIEW -> !endpoint.writes();
      case ADMIN_DEFAULT_AND_OTHER -> true;
      case ADMIN_OTHER_ONLY -> endpoint.cluster() == null || endpoint.cluster().equals("other");
    };
    return allowed ? endpoint.allowed() : 403;
  }

  @Test
  void everyCallerAgainstEveryEndpointGetsExactlyTheExpectedAnswer() throws Exception {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Caller caller : callers(tokens)) {
      for (Endpoint endpoint : endpoints()) {
        String body = endpoint.creates() ? restore("matrix-" + NAMES.incrementAndGet(), endpoint.cluster()) : null;
        HttpResponse<String> answer = send(endpoint.method(), endpoint.path(), caller.authorization(), body);
        int expected = expected(caller, endpoint);
        checked++;
        if (answer.statusCode() != expected) {
          wrong.add(caller.name() + " " + endpoint.method() + " " + endpoint.path()
              + (endpoint.cluster() == null ? "" : " into " + endpoint.cluster()) + ": expected " + expected + ", got "
              + answer.statusCode() + " " + answer.body().lines().findFirst().orElse(""));
          continue;
        }
        if (expected == 401 || expected == 403) {
          JsonNode status = Json.mapper().readTree(answer.body());
          assertEquals("Status", status.path("kind").asText(), answer.body());
          assertEquals(expected, status.path("code").asInt(), answer.body());
          assertEquals(expected == 401 ? "Unauthorized" : "Forbidden", status.path("reason").asText(), answer.body());
        }
        if (expected == 401) {
          assertEquals("Bearer realm=\"rebound\"", answer.headers().firstValue("WWW-Authenticate").orElse(null));
        }
      }
    }
    System.out.println("access matrix: " + callers(tokens).size() + " callers x " + endpoints().size()
        + " endpoints = " + checked + " requests, " + (checked - wrong.size()) + " as expected");
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + checked + " answers differ:\n" + String.join("\n", wrong));
  }

  @Test
  void aDenialNamesTheMissingPermissionAsTheApiServerWould() throws Exception {
    HttpResponse<String> viewer = send("POST", "/api/v1/restores", "Bearer " + tokens.get("viewer"),
        restore("denied-viewer", "default"));
    assertEquals("restores.velero.io is forbidden: User \"" + sa("viewer") + "\" cannot create resource \"restores\""
        + " in API group \"velero.io\" in the namespace \"velero\"",
        Json.mapper().readTree(viewer.body()).path("message").asText());
    HttpResponse<String> other = send("POST", "/api/v1/restores", "Bearer " + tokens.get("other"),
        restore("denied-other", "default"));
    JsonNode status = Json.mapper().readTree(other.body());
    assertEquals("clusters.rebound.dev \"default\" is forbidden: User \"" + sa("other") + "\" cannot restore resource"
        + " \"clusters\" in API group \"rebound.dev\" in the namespace \"velero\"", status.path("message").asText());
    assertEquals("default", status.path("details").path("name").asText());
    HttpResponse<String> metrics = send("GET", "/q/metrics", "Bearer " + tokens.get("viewer"), null);
    assertEquals("forbidden: User \"" + sa("viewer") + "\" cannot get path \"/metrics\"",
        Json.mapper().readTree(metrics.body()).path("message").asText());
    HttpResponse<String> expired = send("GET", "/api/v1/restores", "Bearer " + tokens.get("oidc-expired"), null);
    assertTrue(Json.mapper().readTree(expired.body()).path("message").asText()
        .startsWith("Unauthorized: the OIDC token is not valid: The JWT is no longer valid"), expired.body());
    HttpResponse<String> none = send("GET", "/api/v1/restores", null, null);
    assertEquals("Unauthorized: no credentials: send an Authorization: Bearer <token> header",
        Json.mapper().readTree(none.body()).path("message").asText());
    // A denied submission leaves nothing behind: the name is still free.
    assertEquals(404, send("GET", "/api/v1/restores/denied-other", "Bearer " + tokens.get("admin"), null).statusCode());
  }

  @Test
  void createdByIsTheAuthenticatedUserNeverTheBody() throws Exception {
    for (String who : List.of("admin", "oidc-admin")) {
      String name = "created-by-" + who;
      String body = "{\"metadata\":{\"name\":\"" + name + "\",\"annotations\":{\"rebound.dev/created-by\":\"mallory\"}},"
          + "\"spec\":{\"backupName\":\"b\"}}";
      HttpResponse<String> created = send("POST", "/api/v1/restores", "Bearer " + tokens.get(who), body);
      assertEquals(201, created.statusCode(), created.body());
      String user = who.equals("admin") ? sa("admin") : "oidc:alice";
      assertEquals(user, Json.mapper().readTree(created.body()).path("metadata").path("annotations")
          .path("rebound.dev/created-by").asText());
      JsonNode got = Json.mapper().readTree(send("GET", "/api/v1/restores/" + name, "Bearer " + tokens.get("viewer"),
          null).body());
      assertEquals(user, got.path("metadata").path("annotations").path("rebound.dev/created-by").asText());
      JsonNode list = Json.mapper().readTree(send("GET", "/api/v1/restores", "Bearer " + tokens.get("viewer"),
          null).body());
      boolean listed = false;
      for (JsonNode item : list.path("items")) {
        if (item.path("metadata").path("name").asText().equals(name)) {
          assertEquals(user, item.path("metadata").path("annotations").path("rebound.dev/created-by").asText());
          listed = true;
        }
      }
      assertTrue(listed, name + " is not listed");
    }
  }

  private static String restore(String name, String cluster) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"annotations\":{\"rebound.dev/target-clusters\":\"" + cluster
        + "\"}},\"spec\":{\"backupName\":\"matrix-backup\"}}";
  }

  private HttpResponse<String> send(String method, String path, String authorization, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
