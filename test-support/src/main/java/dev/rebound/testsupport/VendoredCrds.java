package dev.rebound.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The unmodified CRDs of {@code ../shared/testdata/crds/}, installed into a 1.20 test API server
 * with the one adjustment that folder's README describes: {@code default: ""} lines, which 1.20
 * rejects, are dropped while reading (the CEL keys a 1.20 server does not know are ignored by it).
 */
public final class VendoredCrds {

  private VendoredCrds() {}

  /** Established: its status, filled in by the API server a moment after the create, says so. */
  static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code ../shared/testdata/crds/<project>/<file>} beside the project root. */
  public static Path file(String project, String file) {
    return Path.of(System.getProperty("rebound.project.root", ".."), "..", "shared", "testdata", "crds", project, file)
        .normalize();
  }

  /** Creates each CRD unless one of its name exists, then waits until every one is Established. */
  public static void install(KubernetesClient kube, Path... files) {
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file).replaceAll("(?m)^ *default: \"\"\\R", "");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      CustomResourceDefinition crd = kube.apiextensions().v1().customResourceDefinitions()
          .load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).item();
      try {
        kube.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      kube.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(VendoredCrds::established, 60, TimeUnit.SECONDS);
    }
  }
}
