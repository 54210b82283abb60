package dev.rebound.e2e;

import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four packaged services running against this JVM's real servers, with what a test needs to
 * drive them: the restore API, an uploader to the backup bucket, and a client of the cluster.
 */
final class Pipeline implements AutoCloseable {

  final ReboundServices services;
  final RestoreApi api;
  final BackupUploader uploader;
  final KubernetesClient kube;

  private Pipeline(ReboundServices services, BackupUploader uploader, KubernetesClient kube) {
    this.services = services;
    this.api = new RestoreApi(services.get("status-reporter").url(), LocalServers.kube().adminToken());
    this.uploader = uploader;
    this.kube = kube;
  }

  /** @param name the directory of the services' logs under this run's directory */
  static Pipeline start(String name) throws IOException {
    return start(name, java.util.Map.of());
  }

  /** @param overrides settings replaced per service name, on top of the local servers' */
  static Pipeline start(String name, java.util.Map<String, java.util.Map<String, String>> overrides)
      throws IOException {
    return start(name, overrides, java.util.List.of());
  }

  /**
   * @param overrides settings replaced per service name, on top of the local servers'
   * @param extra services of which a second instance starts together with the four (their start-ups overlap)
   */
  static Pipeline start(String name, java.util.Map<String, java.util.Map<String, String>> overrides,
      java.util.List<String> extra) throws IOException {
    Path root = Path.of(System.getProperty("rebound.project.root"));
    S3Server s3 = LocalServers.s3();
    s3.createBucket(ReboundServices.BUCKET);
    ReboundServices services = ReboundServices.start(root, LocalServers.runDir().resolve(name), LocalServers.kafka(),
        s3, LocalServers.kube(), overrides, extra);
    BackupUploader uploader = new BackupUploader(s3.endpoint(), S3Server.REGION, s3.accessKey(), s3.secretKey(),
        ReboundServices.BUCKET);
    KubernetesClient kube = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        Files.readString(LocalServers.kube().adminKubeconfig()))).build();
    return new Pipeline(services, uploader, kube);
  }

  @Override
  public void close() {
    services.close();
    uploader.close();
    kube.close();
  }
}
