package dev.rebound.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launchers start each real server, keep its log, and stop it without leaving a process. */
class LocalServersIT {

  @Test
  void kafkaBrokerStartsListensAndStopsCleanly() throws Exception {
    KafkaBroker broker = KafkaBroker.start(LocalServers.runDir().resolve("kafka-lifecycle"));
    int port = Integer.parseInt(broker.bootstrapServers().substring("127.0.0.1:".length()));
    assertTrue(Ports.listening(port));
    assertTrue(broker.process().logContains("Kafka Server started"));
    broker.close();
    assertFalse(broker.process().isAlive());
    assertFalse(Ports.listening(port), "the broker's port is released after close");
  }

  @Test
  void s3ServerStartsAndStopsWithoutLeavingItsJavaProcess() throws Exception {
    S3Server s3 = S3Server.start(LocalServers.runDir().resolve("s3-lifecycle"));
    // Only signed requests: an unsigned listing of a bucket is refused.
    s3.createBucket("private");
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(s3.endpoint() + "/private?list-type=2")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, anonymous.statusCode(), anonymous.body());
    var pids = s3.process().pids();
    assertTrue(pids.size() >= 2, "the guard and S3Proxy under it: " + pids);
    s3.close();
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " left behind");
    }
  }

  @Test
  void kubeClusterWritesAnAdminAndARestrictedKubeconfig() throws Exception {
    KubeCluster kube = LocalServers.kube();
    for (Path kubeconfig : new Path[] {kube.adminKubeconfig(), kube.restrictedKubeconfig()}) {
      String text = Files.readString(kubeconfig);
      assertTrue(text.contains("server: " + kube.apiServerUrl()), text);
      assertTrue(text.contains("certificate-authority-data: "), text);
    }
    assertTrue(Files.readString(kube.restrictedKubeconfig()).contains(kube.restrictedToken()));
    assertTrue(kube.processes().stream().allMatch(ManagedProcess::isAlive), "etcd, apiserver, controller-manager");
  }
}
