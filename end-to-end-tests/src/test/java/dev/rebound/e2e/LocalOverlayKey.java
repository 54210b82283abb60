package dev.rebound.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local overlay's item payload key file ({@code k8s/overlays/local/secrets/payload-key.env}),
 * made where the overlay is deployed, as the README says, and never committed (.gitignore): the
 * tests that build or apply the overlay make it when it is missing, mode 600.
 */
final class LocalOverlayKey {

  private LocalOverlayKey() {}

  static Path ensure(Path projectRoot) throws IOException {
    Path file = projectRoot.resolve("k8s/overlays/local/secrets/payload-key.env");
    if (!Files.exists(file)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, "REBOUND_SERVICE_PAYLOAD_KEY=" + Base64.getEncoder().encodeToString(key) + "\n");
    }
    return file;
  }
}
