package dev.rebound.statusreporter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.statusreporter.config.StatusReporterConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A management cluster that does not answer (a closed port): a token cannot be checked, which is
 * a 503 naming the TokenReview that failed, never a 401 (the token may be good), and nothing is
 * cached, so the next request asks again.
 */
class UnreachableManagementClusterTest {

  @TempDir
  Path dir;

  @Test
  void aTokenThatCannotBeReviewedIsUnavailableNotRejected() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    Path kubeconfig = dir.resolve("management.kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: management
            cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
        users:
          - name: rebound
            user: {token: rebound-token}
        contexts:
          - name: management
            context: {cluster: management, user: rebound}
        current-context: management
        """.formatted(port));
    AccessControl access = new AccessControl(config(kubeconfig), statusReporter());
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        AuthenticationException e = assertThrows(AuthenticationException.class,
            () -> access.authenticate("Bearer some-service-account-token"));
        assertTrue(e.unavailable(), "not a rejection: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot authenticate the token: the TokenReview to the management cluster ("
            + kubeconfig + ") failed: "), e.getMessage());
      }
      AuthenticationException missing = assertThrows(AuthenticationException.class, () -> access.authenticate(null));
      assertEquals("no credentials: send an Authorization: Bearer <token> header", missing.getMessage());
    } finally {
      access.close();
    }
  }

  private static StatusReporterConfig statusReporter() {
    return new StatusReporterConfig() {
      @Override
      public int heartbeatMisses() {
        return 3;
      }

      @Override
      public String veleroNamespace() {
        return "velero";
      }

      @Override
      public String defaultCluster() {
        return "default";
      }

      @Override
      public Duration submissionTimeout() {
        return Duration.ofSeconds(30);
      }

      @Override
      public Duration cancelWait() {
        return Duration.ofSeconds(30);
      }
    };
  }

  private static AuthConfig config(Path kubeconfig) {
    return new AuthConfig() {
      @Override
      public Set<String> methods() {
        return Set.of("kubernetes");
      }

      @Override
      public Kubernetes kubernetes() {
        return new Kubernetes() {
          @Override
          public Optional<Path> kubeconfig() {
            return Optional.of(kubeconfig);
          }

          @Override
          public Optional<List<String>> audiences() {
            return Optional.empty();
          }
        };
      }

      @Override
      public Oidc oidc() {
        return null;
      }

      @Override
      public Optional<List<String>> adminGroups() {
        return Optional.empty();
      }

      @Override
      public Optional<List<String>> viewerGroups() {
        return Optional.empty();
      }

      @Override
      public boolean subjectAccessReview() {
        return true;
      }

      @Override
      public boolean perClusterAccess() {
        return false;
      }

      @Override
      public boolean protectMetrics() {
        return false;
      }

      @Override
      public Duration cacheTtl() {
        return Duration.ofSeconds(10);
      }
    };
  }
}
