package dev.rebound.statusreporter.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the API (under {@code rebound.auth}): how a bearer token is authenticated
 * (Kubernetes TokenReview, OIDC JWT) and how a caller's rights are decided (configured groups,
 * SubjectAccessReview against the management cluster). DESIGN.md, "Access control".
 */
@ConfigMapping(prefix = "rebound.auth")
public interface AuthConfig {

  /**
   * How bearer tokens are authenticated, comma-separated: {@code kubernetes} (a TokenReview against
   * the management cluster), {@code oidc} (a JWT of the configured issuer); or {@code none}, which
   * turns authentication and authorization off (every caller is {@code system:anonymous} with every
   * right).
   */
  @WithDefault("kubernetes")
  Set<String> methods();

  /** The management cluster, whose TokenReviews and SubjectAccessReviews decide. */
  Kubernetes kubernetes();

  Oidc oidc();

  /** Members of these groups are super-admins: they may create, cancel and delete restores, and read. */
  Optional<List<String>> adminGroups();

  /** Members of these groups may read (list and get restores, backups, logs, events). */
  Optional<List<String>> viewerGroups();

  /**
   * Ask the management cluster (SubjectAccessReview) when the groups above do not decide: a
   * super-admin may {@code create} {@code restores.velero.io} in the Velero namespace, a viewer
   * may {@code get} them.
   */
  @WithDefault("true")
  boolean subjectAccessReview();

  /**
   * {@code true}: restoring into a target cluster also needs the verb {@code restore} on
   * {@code clusters.rebound.dev} with that cluster's name, in the Velero namespace (an RBAC rule with
   * {@code resourceNames}), so a user may restore into some clusters only.
   */
  @WithDefault("false")
  boolean perClusterAccess();

  /**
   * {@code true}: {@code /q/metrics} needs a token too, allowed to {@code get} the non-resource URL
   * {@code /metrics} (as kube-rbac-proxy asks), or membership of a viewer or admin group.
   */
  @WithDefault("false")
  boolean protectMetrics();

  /** How long a token's TokenReview and a caller's SubjectAccessReview answers are reused. */
  @WithDefault("10s")
  Duration cacheTtl();

  interface Kubernetes {
    /** Kubeconfig of the management cluster; unset: the pod's service account (in-cluster). */
    Optional<Path> kubeconfig();

    /**
     * Audiences a token must be valid for ({@code TokenReview.spec.audiences}); unset: the API
     * server's own.
     */
    Optional<List<String>> audiences();
  }

  interface Oidc {
    /** The issuer ({@code iss}) of accepted JWTs, an {@code https} URL as in the API server's {@code --oidc-issuer-url}. */
    Optional<String> issuer();

    /** The audience ({@code aud}) a JWT must name (the API server's {@code --oidc-client-id}). */
    Optional<String> audience();

    /** Where the issuer's signing keys are (JWKS); unset: {@code jwks_uri} of the issuer's discovery document. */
    Optional<String> jwksUrl();

    /** The claim naming the user. */
    @WithDefault("sub")
    String usernameClaim();

    /** Prepended to every OIDC user name, so they cannot collide with Kubernetes users (e.g. {@code oidc:}). */
    Optional<String> usernamePrefix();

    /** The claim listing the user's groups (a string or an array of strings). */
    @WithDefault("groups")
    String groupsClaim();

    /** Prepended to every OIDC group. */
    Optional<String> groupsPrefix();

    /** Leeway for {@code exp}, {@code nbf} and {@code iat}. */
    @WithDefault("30s")
    Duration clockSkew();
  }
}
