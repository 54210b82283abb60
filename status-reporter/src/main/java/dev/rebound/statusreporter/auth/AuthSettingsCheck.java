package dev.rebound.statusreporter.auth;

import dev.rebound.support.kube.TargetClusterSettings;
import dev.rebound.support.settings.SettingProblem;
import dev.rebound.support.settings.SettingsCheck;
import io.fabric8.kubernetes.client.utils.Utils;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The access-control settings the API cannot work without: known methods, an issuer and an
 * audience for OIDC, a usable management cluster when TokenReviews or SubjectAccessReviews are
 * asked of it. Until they pass, the status-reporter accepts no restore (as for its other settings).
 */
@ApplicationScoped
public class AuthSettingsCheck implements SettingsCheck {

  static final String NONE = "none";
  static final String KUBERNETES = "kubernetes";
  static final String OIDC = "oidc";

  private final AuthConfig config;

  AuthSettingsCheck(AuthConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "auth";
  }

  @Override
  public List<SettingProblem> check() {
    List<SettingProblem> problems = new ArrayList<>();
    Set<String> methods = new TreeSet<>(config.methods());
    Set<String> unknown = new TreeSet<>(methods);
    unknown.removeAll(Set.of(NONE, KUBERNETES, OIDC));
    if (!unknown.isEmpty()) {
      problems.add(new SettingProblem("rebound.auth.methods", "unknown method(s) " + unknown
          + ": use kubernetes, oidc, both (comma-separated), or none"));
    }
    if (methods.contains(NONE)) {
      if (methods.size() > 1) {
        problems.add(new SettingProblem("rebound.auth.methods", "none turns authentication off and cannot be "
            + "combined with " + methods.stream().filter(m -> !m.equals(NONE)).toList()));
      }
      return problems;
    }
    if (methods.contains(OIDC)) {
      if (config.oidc().issuer().isEmpty()) {
        problems.add(new SettingProblem("rebound.auth.oidc.issuer", "is not set, but rebound.auth.methods has oidc"));
      } else if (!absoluteHttp(config.oidc().issuer().get())) {
        problems.add(new SettingProblem("rebound.auth.oidc.issuer", "\"" + config.oidc().issuer().get()
            + "\" is not an http(s) URL"));
      }
      if (config.oidc().audience().isEmpty()) {
        problems.add(new SettingProblem("rebound.auth.oidc.audience", "is not set, but rebound.auth.methods has oidc"));
      }
      config.oidc().jwksUrl().filter(u -> !absoluteHttp(u)).ifPresent(u -> problems.add(
          new SettingProblem("rebound.auth.oidc.jwks-url", "\"" + u + "\" is not an http(s) URL")));
    }
    if (config.perClusterAccess() && !config.subjectAccessReview()) {
      problems.add(new SettingProblem("rebound.auth.per-cluster-access", "is true, but per-cluster access is "
          + "decided by SubjectAccessReviews, and rebound.auth.subject-access-review is false"));
    }
    if (methods.contains(KUBERNETES) || config.subjectAccessReview()) {
      config.kubernetes().kubeconfig().ifPresentOrElse(
          file -> TargetClusterSettings.kubeconfigProblem(file).ifPresent(
              p -> problems.add(new SettingProblem("rebound.auth.kubernetes.kubeconfig", p))),
          () -> TargetClusterSettings.inClusterProblem(Utils::getSystemPropertyOrEnvVar).ifPresent(
              p -> problems.add(new SettingProblem("rebound.auth.kubernetes.kubeconfig", "is not set, so the "
                  + "management cluster is the one Rebound runs in, but " + p.replaceFirst("^is true, but ", "")))));
    }
    return problems;
  }

  private static boolean absoluteHttp(String url) {
    try {
      URI uri = URI.create(url);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
