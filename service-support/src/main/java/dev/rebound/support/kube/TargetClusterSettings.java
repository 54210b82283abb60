package dev.rebound.support.kube;

import dev.rebound.support.settings.SettingProblem;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Validates a service's target clusters ({@code <prefix>.clusters.<name>.*} and
 * {@code <prefix>.default-cluster}) without contacting them: each problem names the exact
 * property and the file, path or value at fault.
 */
public final class TargetClusterSettings {

  /** fabric8's service-account files, unless its system properties or environment move them. */
  static final String TOKEN_PROPERTY = "kubernetes.auth.serviceAccount.token";
  static final String DEFAULT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  static final String CA_PROPERTY = "kubernetes.certs.ca.file";
  static final String DEFAULT_CA = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

  private TargetClusterSettings() {}

  /**
   * @param env reads a system property or environment variable as fabric8 does
   *     ({@code io.fabric8.kubernetes.client.utils.Utils#getSystemPropertyOrEnvVar})
   */
  public static List<SettingProblem> check(String prefix, Map<String, ? extends TargetClusterConfig> clusters,
      String defaultCluster, UnaryOperator<String> env) {
    List<SettingProblem> problems = new ArrayList<>();
    if (clusters.isEmpty()) {
      String key = prefix + ".clusters." + defaultCluster;
      problems.add(new SettingProblem(key + ".kubeconfig", "no target cluster is configured: set " + key
          + ".kubeconfig to a kubeconfig file, or " + key + ".in-cluster=true"));
      return problems;
    }
    if (!clusters.containsKey(defaultCluster)) {
      problems.add(new SettingProblem(prefix + ".default-cluster", "\"" + defaultCluster
          + "\" is not one of the configured clusters " + new TreeMap<>(clusters).keySet()));
    }
    new TreeMap<>(clusters).forEach((name, config) -> {
      String key = prefix + ".clusters." + name;
      if (config.kubeconfig().isPresent() && config.inCluster()) {
        problems.add(new SettingProblem(key + ".in-cluster", "is true while " + key
            + ".kubeconfig is also set: set only one of them"));
      } else if (config.kubeconfig().isPresent()) {
        kubeconfigProblem(config.kubeconfig().get()).ifPresent(p -> problems.add(new SettingProblem(key + ".kubeconfig", p)));
      } else if (config.inCluster()) {
        inClusterProblem(env).ifPresent(p -> problems.add(new SettingProblem(key + ".in-cluster", p)));
      } else {
        problems.add(new SettingProblem(key + ".kubeconfig", "is not set and " + key
            + ".in-cluster is not true: set one of them"));
      }
    });
    return problems;
  }

  /** What is wrong with a kubeconfig file, if anything: existence, permissions, then its content. */
  public static Optional<String> kubeconfigProblem(Path file) {
    if (!Files.exists(file)) {
      return Optional.of("file " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      return Optional.of(file + " is a directory, not a kubeconfig file");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (AccessDeniedException e) {
      return Optional.of("file " + file + " cannot be read by this process: permission denied");
    } catch (IOException e) {
      return Optional.of("file " + file + " cannot be read: " + oneLine(e.toString()));
    }
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = KubeConfigUtils.parseConfigFromString(text);
    } catch (RuntimeException e) {
      return Optional.of("file " + file + " is not a kubeconfig: " + oneLine(rootMessage(e)));
    }
    if (parsed == null) {
      return Optional.of("file " + file + " is not a kubeconfig: it is empty");
    }
    String current = parsed.getCurrentContext();
    if (current == null || current.isBlank()) {
      return Optional.of("file " + file + " is not a usable kubeconfig: it has no current-context");
    }
    Optional<NamedContext> context = Optional.ofNullable(parsed.getContexts()).orElse(List.of()).stream()
        .filter(c -> current.equals(c.getName())).findFirst();
    if (context.isEmpty() || context.get().getContext() == null) {
      return Optional.of("file " + file + " is not a usable kubeconfig: its current-context \"" + current
          + "\" is not among its contexts");
    }
    String clusterName = context.get().getContext().getCluster();
    Optional<NamedCluster> cluster = Optional.ofNullable(parsed.getClusters()).orElse(List.of()).stream()
        .filter(c -> c.getName() != null && c.getName().equals(clusterName)).findFirst();
    if (cluster.isEmpty() || cluster.get().getCluster() == null || cluster.get().getCluster().getServer() == null) {
      return Optional.of("file " + file + " is not a usable kubeconfig: the cluster \"" + clusterName
          + "\" of its current-context has no server");
    }
    try {
      Config.fromKubeconfig(null, text, file.toString());
    } catch (RuntimeException e) {
      return Optional.of("file " + file + " is not a usable kubeconfig: " + oneLine(rootMessage(e)));
    }
    return Optional.empty();
  }

  /** What keeps fabric8's in-cluster configuration from working here, if anything. */
  public static Optional<String> inClusterProblem(UnaryOperator<String> env) {
    String host = env.apply("KUBERNETES_SERVICE_HOST");
    String port = env.apply("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isBlank() || port == null || port.isBlank()) {
      return Optional.of("is true, but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not both set:"
          + " the service does not run in a Kubernetes pod");
    }
    String token = Optional.ofNullable(env.apply(TOKEN_PROPERTY)).orElse(DEFAULT_TOKEN);
    Optional<String> tokenProblem = readable(Path.of(token), "service account token");
    if (tokenProblem.isPresent()) {
      return Optional.of("is true, but " + tokenProblem.get() + " (is automountServiceAccountToken false?)");
    }
    String ca = Optional.ofNullable(env.apply(CA_PROPERTY)).orElse(DEFAULT_CA);
    return readable(Path.of(ca), "service account CA certificate").map(p -> "is true, but " + p);
  }

  private static Optional<String> readable(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      return Optional.of("the " + what + " " + file + " does not exist");
    }
    try (var in = Files.newInputStream(file)) {
      in.read();
      return Optional.empty();
    } catch (AccessDeniedException e) {
      return Optional.of("the " + what + " " + file + " cannot be read by this process: permission denied");
    } catch (IOException e) {
      return Optional.of("the " + what + " " + file + " cannot be read: " + oneLine(e.toString()));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() != null ? t.getMessage() : e.getMessage();
    return m != null ? m : t.toString();
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
