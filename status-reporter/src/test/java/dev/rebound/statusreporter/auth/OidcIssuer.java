package dev.rebound.statusreporter.auth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A real OIDC issuer over HTTP for tests: its discovery document and JWKS are served by a JDK
 * HTTP server, and it signs ID tokens with its RSA key, as Dex or Keycloak would. Tests get tokens
 * from {@code <issuer>/mint?sub=<user>&groups=<a,b>&kind=<valid|expired|audience|forged>} (a test
 * resource starts the issuer, so the test only knows its URL).
 */
final class OidcIssuer implements AutoCloseable {

  static final String AUDIENCE = "rebound";

  private final HttpServer server;
  private final RsaJsonWebKey key;
  private final RsaJsonWebKey stranger;
  private final String url;

  private OidcIssuer() throws IOException, JoseException {
    key = RsaJwkGenerator.generateJwk(2048);
    key.setKeyId("test-key");
    stranger = RsaJwkGenerator.generateJwk(2048);
    stranger.setKeyId("test-key");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
    String jwks = "{\"keys\":[" + key.toJson() + "]}";
    String discovery = "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/keys\"}";
    server.createContext("/issuer/.well-known/openid-configuration", e -> answer(e, discovery));
    server.createContext("/issuer/keys", e -> answer(e, jwks));
    server.createContext("/issuer/mint", e -> {
      java.util.Map<String, String> q = new java.util.HashMap<>();
      for (String pair : e.getRequestURI().getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        q.put(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
      }
      List<String> groups = q.getOrDefault("groups", "").isEmpty() ? List.of() : List.of(q.get("groups").split(","));
      String sub = q.get("sub");
      String token = switch (q.getOrDefault("kind", "valid")) {
        case "expired" -> expiredToken(sub, groups);
        case "audience" -> tokenForAudience("someone-else", sub, groups);
        case "forged" -> forgedToken(sub, groups);
        default -> token(sub, groups);
      };
      answer(e, token);
    });
    server.start();
  }

  static OidcIssuer start() {
    try {
      return new OidcIssuer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  String url() {
    return url;
  }

  /** An ID token of this issuer for {@code subject} in {@code groups}, valid for an hour. */
  String token(String subject, List<String> groups) {
    return sign(key, url, AUDIENCE, subject, groups, Instant.now().plus(Duration.ofHours(1)));
  }

  /** One that expired an hour ago. */
  String expiredToken(String subject, List<String> groups) {
    return sign(key, url, AUDIENCE, subject, groups, Instant.now().minus(Duration.ofHours(1)));
  }

  /** One for another audience. */
  String tokenForAudience(String audience, String subject, List<String> groups) {
    return sign(key, url, audience, subject, groups, Instant.now().plus(Duration.ofHours(1)));
  }

  /** One that names this issuer but is signed by another key with the same key id. */
  String forgedToken(String subject, List<String> groups) {
    return sign(stranger, url, AUDIENCE, subject, groups, Instant.now().plus(Duration.ofHours(1)));
  }

  private static String sign(RsaJsonWebKey with, String issuer, String audience, String subject, List<String> groups,
      Instant expiry) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setAudience(audience);
    claims.setSubject(subject);
    claims.setIssuedAt(NumericDate.fromSeconds(expiry.minus(Duration.ofHours(1)).getEpochSecond()));
    claims.setExpirationTime(NumericDate.fromSeconds(expiry.getEpochSecond()));
    claims.setStringListClaim("groups", groups);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(with.getPrivateKey());
    jws.setKeyIdHeaderValue(with.getKeyId());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
