package dev.rebound.support.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.rebound.support.settings.SettingProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetClusterSettingsTest {

  static final String PREFIX = "rebound.item-restorer";
  static final String VALID = """
      apiVersion: v1
      kind: Config
      clusters:
      - name: c
        cluster:
          server: https://127.0.0.1:6443
      users:
      - name: u
        user:
          token: t
      contexts:
      - name: ctx
        context:
          cluster: c
          user: u
      current-context: ctx
      """;
  static final UnaryOperator<String> NO_ENV = name -> null;

  @TempDir Path dir;

  /** A cluster's settings as SmallRye Config would map them. */
  record Cluster(Optional<Path> kubeconfig, boolean inCluster) implements TargetClusterConfig {
    static Cluster file(Path p) {
      return new Cluster(Optional.of(p), false);
    }
  }

  private static List<SettingProblem> check(Map<String, Cluster> clusters, String defaultCluster) {
    return TargetClusterSettings.check(PREFIX, clusters, defaultCluster, NO_ENV);
  }

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void aReadableKubeconfigWithAServerIsValid() throws Exception {
    assertEquals(List.of(), check(Map.of("default", Cluster.file(write("ok", VALID))), "default"));
  }

  @Test
  void aMissingFileNamesThePropertyAndThePath() {
    Path missing = dir.resolve("nope.yaml");
    assertEquals(List.of(new SettingProblem(PREFIX + ".clusters.default.kubeconfig",
        "file " + missing + " does not exist")), check(Map.of("default", Cluster.file(missing)), "default"));
  }

  @Test
  void anUnreadableFileIsPermissionDenied() throws Exception {
    Path file = write("locked", VALID);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(file), "this process reads every file (root with CAP_DAC_OVERRIDE);"
        + " the packaged-service test covers it without that capability");
    assertEquals(List.of(new SettingProblem(PREFIX + ".clusters.default.kubeconfig",
        "file " + file + " cannot be read by this process: permission denied")),
        check(Map.of("default", Cluster.file(file)), "default"));
  }

  @Test
  void aDirectoryIsNotAKubeconfigFile() {
    List<SettingProblem> problems = check(Map.of("default", Cluster.file(dir)), "default");
    assertEquals(List.of(new SettingProblem(PREFIX + ".clusters.default.kubeconfig",
        dir + " is a directory, not a kubeconfig file")), problems);
  }

  @Test
  void contentThatIsNotAKubeconfigGivesTheParsersMessage() throws Exception {
    Path file = write("garbage", "clusters: [unclosed\n");
    List<SettingProblem> problems = check(Map.of("default", Cluster.file(file)), "default");
    assertEquals(1, problems.size(), problems.toString());
    String problem = problems.get(0).problem();
    assertTrue(problem.startsWith("file " + file + " is not a kubeconfig: "), problem);
    assertTrue(problem.contains("line"), "the parser's position: " + problem);
    assertEquals(-1, problem.indexOf('\n'), "one line");
  }

  @Test
  void emptyAndContextlessFilesAreNotUsable() throws Exception {
    Path empty = write("empty", "");
    Path noContext = write("no-context", VALID.replace("current-context: ctx\n", ""));
    Path wrongContext = write("wrong-context", VALID.replace("current-context: ctx", "current-context: other"));
    List<SettingProblem> problems = check(Map.of("a", Cluster.file(empty), "b", Cluster.file(noContext),
        "c", Cluster.file(wrongContext)), "a");
    assertEquals(List.of(
        new SettingProblem(PREFIX + ".clusters.a.kubeconfig", "file " + empty + " is not a kubeconfig: it is empty"),
        new SettingProblem(PREFIX + ".clusters.b.kubeconfig",
            "file " + noContext + " is not a usable kubeconfig: it has no current-context"),
        new SettingProblem(PREFIX + ".clusters.c.kubeconfig",
            "file " + wrongContext + " is not a usable kubeconfig: its current-context \"other\" is not among its contexts")),
        problems);
  }

  @Test
  void noClusterAtAllNamesTheDefaultClustersKeys() {
    assertEquals(List.of(new SettingProblem(PREFIX + ".clusters.default.kubeconfig", "no target cluster is configured:"
        + " set " + PREFIX + ".clusters.default.kubeconfig to a kubeconfig file, or " + PREFIX
        + ".clusters.default.in-cluster=true")), check(Map.of(), "default"));
  }

  @Test
  void aDefaultClusterThatIsNotConfigured() throws Exception {
    Path ok = write("ok", VALID);
    assertEquals(List.of(new SettingProblem(PREFIX + ".default-cluster",
        "\"prod\" is not one of the configured clusters [eu, us]")),
        check(Map.of("us", Cluster.file(ok), "eu", Cluster.file(ok)), "prod"));
  }

  @Test
  void bothOrNeitherWayToReachAClusterIsAnError() throws Exception {
    Path ok = write("ok", VALID);
    assertEquals(List.of(
        new SettingProblem(PREFIX + ".clusters.both.in-cluster",
            "is true while " + PREFIX + ".clusters.both.kubeconfig is also set: set only one of them"),
        new SettingProblem(PREFIX + ".clusters.neither.kubeconfig",
            "is not set and " + PREFIX + ".clusters.neither.in-cluster is not true: set one of them")),
        check(Map.of("both", new Cluster(Optional.of(ok), true), "neither", new Cluster(Optional.empty(), false)),
            "both"));
  }

  @Test
  void inClusterNeedsThePodsEnvironmentTokenAndCa() throws Exception {
    Map<String, Cluster> inCluster = Map.of("default", new Cluster(Optional.empty(), true));
    String key = PREFIX + ".clusters.default.in-cluster";
    assertEquals(List.of(new SettingProblem(key, "is true, but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT"
        + " are not both set: the service does not run in a Kubernetes pod")), check(inCluster, "default"));

    Path token = dir.resolve("token");
    Path ca = dir.resolve("ca.crt");
    Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443",
        TargetClusterSettings.TOKEN_PROPERTY, token.toString(), TargetClusterSettings.CA_PROPERTY, ca.toString());
    assertEquals(List.of(new SettingProblem(key, "is true, but the service account token " + token
        + " does not exist (is automountServiceAccountToken false?)")),
        TargetClusterSettings.check(PREFIX, inCluster, "default", env::get));
    Files.writeString(token, "a-token");
    assertEquals(List.of(new SettingProblem(key, "is true, but the service account CA certificate " + ca
        + " does not exist")), TargetClusterSettings.check(PREFIX, inCluster, "default", env::get));
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");
    assertEquals(List.of(), TargetClusterSettings.check(PREFIX, inCluster, "default", env::get));
  }
}
