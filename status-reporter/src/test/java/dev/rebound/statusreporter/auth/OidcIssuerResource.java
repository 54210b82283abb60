package dev.rebound.statusreporter.auth;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts an {@link OidcIssuer} and points {@code rebound.auth.oidc.*} at it (discovery finds its JWKS). */
public class OidcIssuerResource implements QuarkusTestResourceLifecycleManager {

  private OidcIssuer issuer;

  @Override
  public Map<String, String> start() {
    issuer = OidcIssuer.start();
    return Map.of("rebound.auth.oidc.issuer", issuer.url(), "rebound.auth.oidc.audience", OidcIssuer.AUDIENCE);
  }

  @Override
  public void stop() {
    if (issuer != null) {
      issuer.close();
    }
  }
}
