package dev.rebound.statusreporter.auth;

import dev.rebound.statusreporter.config.StatusReporterConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Who the caller is and what it may do (DESIGN.md, "Access control"). A bearer token is an OIDC
 * JWT when it claims the configured issuer, otherwise a Kubernetes token for the management
 * cluster's TokenReview. Rights come from the configured groups, then from SubjectAccessReviews:
 * reading needs {@code get} on {@code restores.velero.io} in the Velero namespace, changing restores
 * needs {@code create} on them (super-admin), and with per-cluster access restoring into cluster
 * {@code X} also needs {@code restore} on {@code clusters.rebound.dev} named {@code X}.
 */
@ApplicationScoped
public class AccessControl {

  private static final Logger LOG = Logger.getLogger(AccessControl.class);
  private static final int CACHE_ENTRIES = 10_000;

  private final AuthConfig config;
  private final String veleroNamespace;
  private final boolean enabled;
  private final ManagementCluster management;
  private final OidcTokens oidc;
  private final TtlCache<String, Object> tokens;
  private final TtlCache<List<Object>, Boolean> decisions;

  AccessControl(AuthConfig config, StatusReporterConfig statusReporter) {
    this.config = config;
    this.veleroNamespace = statusReporter.veleroNamespace();
    Set<String> methods = config.methods();
    this.enabled = !methods.contains(AuthSettingsCheck.NONE);
    boolean needsCluster = enabled && (methods.contains(AuthSettingsCheck.KUBERNETES) || config.subjectAccessReview());
    this.management = needsCluster ? new ManagementCluster(config.kubernetes().kubeconfig(), config.kubernetes().audiences())
        : null;
    this.oidc = enabled && methods.contains(AuthSettingsCheck.OIDC) && config.oidc().issuer().isPresent()
        ? new OidcTokens(config.oidc()) : null;
    this.tokens = new TtlCache<>(config.cacheTtl(), CACHE_ENTRIES, System::nanoTime);
    this.decisions = new TtlCache<>(config.cacheTtl(), CACHE_ENTRIES, System::nanoTime);
    if (!enabled) {
      LOG.warn("Authentication is off (rebound.auth.methods=none): anyone who reaches the API may read, create and "
          + "delete restores");
    }
  }

  public boolean enabled() {
    return enabled;
  }

  public String veleroNamespace() {
    return veleroNamespace;
  }

  public boolean perClusterAccess() {
    return enabled && config.perClusterAccess();
  }

  /**
   * The right a request needs, or {@code null} for one anyone may make: health, the console's
   * static files, and metrics unless {@code rebound.auth.protect-metrics}.
   */
  public Permission required(String method, String path) {
    if (path.startsWith("/api/")) {
      return switch (method) {
        case "GET", "HEAD", "OPTIONS" -> Permission.view(veleroNamespace);
        default -> Permission.admin(veleroNamespace);
      };
    }
    if (config.protectMetrics() && (path.equals("/q/metrics") || path.startsWith("/q/metrics/"))) {
      return Permission.metrics();
    }
    return null;
  }

  /** The caller of a request with this {@code Authorization} header. */
  public Identity authenticate(String authorization) throws AuthenticationException {
    if (!enabled) {
      return Identity.ANONYMOUS;
    }
    if (authorization == null || authorization.isBlank()) {
      throw AuthenticationException.rejected("no credentials: send an Authorization: Bearer <token> header");
    }
    String[] parts = authorization.strip().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
      throw AuthenticationException.rejected("the Authorization header is not \"Bearer <token>\"");
    }
    String token = parts[1].strip();
    String key = sha256(token);
    Object known = tokens.get(key);
    if (known instanceof Identity identity) {
      return identity;
    }
    if (known instanceof String rejection) {
      throw AuthenticationException.rejected(rejection);
    }
    try {
      Identity identity = check(token);
      tokens.put(key, identity);
      return identity;
    } catch (AuthenticationException e) {
      if (!e.unavailable()) {
        tokens.put(key, e.getMessage());
      }
      throw e;
    }
  }

  private Identity check(String token) throws AuthenticationException {
    if (oidc != null && oidc.claimsIssuer(token)) {
      return oidc.verify(token);
    }
    if (config.methods().contains(AuthSettingsCheck.KUBERNETES)) {
      return management.review(token);
    }
    String issuer = OidcTokens.unverifiedIssuer(token).map(i -> "its issuer is \"" + i + "\"").orElse("it is not a JWT");
    throw AuthenticationException.rejected("the bearer token is not an OIDC token of issuer "
        + config.oidc().issuer().orElse("(none configured)") + ": " + issuer);
  }

  /** Whether {@code who} has {@code permission}. */
  public boolean allows(Identity who, Permission permission) throws AuthenticationException {
    if (!enabled) {
      return true;
    }
    boolean clusterRight = "clusters".equals(permission.resource()) && "rebound.dev".equals(permission.group());
    if (!clusterRight) {
      if (member(who, config.adminGroups().orElse(List.of()))) {
        return true;
      }
      boolean reading = permission.verb().equals("get");
      if (reading && member(who, config.viewerGroups().orElse(List.of()))) {
        return true;
      }
    }
    if (!config.subjectAccessReview() || management == null) {
      return false;
    }
    List<Object> key = List.of(who.username(), who.groups(), permission);
    Boolean known = decisions.get(key);
    if (known != null) {
      return known;
    }
    boolean allowed = management.allows(who, permission);
    decisions.put(key, allowed);
    return allowed;
  }

  private static boolean member(Identity who, List<String> groups) {
    return groups.stream().anyMatch(who.groups()::contains);
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @PreDestroy
  void close() {
    if (management != null) {
      management.close();
    }
  }
}
