package dev.rebound.statusreporter.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

/**
 * OIDC ID tokens, checked as the API server's {@code --oidc-*} flags check them: signed by a key of
 * the issuer's JWKS (asymmetric algorithms only), {@code iss} the issuer, {@code aud} naming the
 * audience, not expired; the user from the username claim and the groups from the groups claim.
 */
final class OidcTokens {

  private final AuthConfig.Oidc config;
  private final String issuer;
  private volatile JwtConsumer consumer;

  OidcTokens(AuthConfig.Oidc config) {
    this.config = config;
    this.issuer = config.issuer().orElseThrow(() -> new IllegalArgumentException("rebound.auth.oidc.issuer is not set"));
  }

  /** Whether {@code token} claims to come from this issuer (read without checking it), so it is this class's to check. */
  boolean claimsIssuer(String token) {
    return unverifiedIssuer(token).map(issuer::equals).orElse(false);
  }

  /** The unchecked {@code iss} of a token that has the shape of a JWT. */
  static Optional<String> unverifiedIssuer(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims != null && claims.path("iss").isTextual() ? Optional.of(claims.path("iss").asText()) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  Identity verify(String token) throws AuthenticationException {
    JwtClaims claims;
    try {
      claims = consumer().processToClaims(token);
    } catch (InvalidJwtException e) {
      if (causedByIo(e)) {
        throw AuthenticationException.unavailable("cannot verify the token: the signing keys of issuer " + issuer
            + " cannot be fetched: " + rootMessage(e), e);
      }
      String details = e.getErrorDetails().isEmpty() ? e.getOriginalMessage()
          : e.getErrorDetails().stream().map(d -> d.getErrorMessage()).collect(Collectors.joining("; "));
      throw AuthenticationException.rejected("the OIDC token is not valid: " + details);
    }
    String user = claimString(claims, config.usernameClaim());
    if (user == null || user.isEmpty()) {
      throw AuthenticationException.rejected("the OIDC token has no claim \"" + config.usernameClaim()
          + "\" (rebound.auth.oidc.username-claim) naming its user");
    }
    List<String> groups = new ArrayList<>();
    Object raw = claims.getClaimValue(config.groupsClaim());
    if (raw instanceof String s) {
      groups.add(s);
    } else if (raw instanceof List<?> list) {
      list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(groups::add);
    } else if (raw != null) {
      throw AuthenticationException.rejected("the OIDC token's claim \"" + config.groupsClaim()
          + "\" is neither a string nor an array of strings");
    }
    String groupsPrefix = config.groupsPrefix().orElse("");
    groups.replaceAll(g -> groupsPrefix + g);
    groups.add("system:authenticated"); // as the API server adds it to every authenticated user
    return new Identity(config.usernamePrefix().orElse("") + user, groups, "oidc");
  }

  private static String claimString(JwtClaims claims, String name) throws AuthenticationException {
    try {
      return claims.getStringClaimValue(name);
    } catch (MalformedClaimException e) {
      throw AuthenticationException.rejected("the OIDC token's claim \"" + name + "\" is not a string");
    }
  }

  private JwtConsumer consumer() throws AuthenticationException {
    JwtConsumer c = consumer;
    if (c == null) {
      synchronized (this) {
        if (consumer == null) {
          HttpsJwks keys = new HttpsJwks(config.jwksUrl().isPresent() ? config.jwksUrl().get() : discoverJwksUri());
          consumer = new JwtConsumerBuilder()
              .setRequireExpirationTime()
              .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
              .setExpectedIssuer(issuer)
              .setExpectedAudience(config.audience().orElseThrow(
                  () -> new IllegalStateException("rebound.auth.oidc.audience is not set")))
              .setRequireSubject()
              .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(keys))
              .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                  AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                  AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                  AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                  AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                  AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512))
              .build();
        }
        c = consumer;
      }
    }
    return c;
  }

  /** {@code jwks_uri} of the issuer's {@code /.well-known/openid-configuration}, as OIDC discovery defines it. */
  private String discoverJwksUri() throws AuthenticationException {
    String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
    try {
      HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw AuthenticationException.unavailable("cannot verify the token: the issuer's discovery document " + url
            + " answered HTTP " + answer.statusCode(), null);
      }
      JsonNode jwks = Json.mapper().readTree(answer.body()).path("jwks_uri");
      if (!jwks.isTextual()) {
        throw AuthenticationException.unavailable("cannot verify the token: the issuer's discovery document " + url
            + " has no jwks_uri", null);
      }
      return jwks.asText();
    } catch (IOException e) {
      throw AuthenticationException.unavailable("cannot verify the token: the issuer's discovery document " + url
          + " cannot be read: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AuthenticationException.unavailable("interrupted while reading " + url, e);
    }
  }

  private static boolean causedByIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
