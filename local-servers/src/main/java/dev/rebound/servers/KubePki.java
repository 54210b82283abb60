package dev.rebound.servers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and tokens of a test cluster, made fresh with openssl for each run: a CA, the API
 * server's serving certificate, the service-account signing key pair and a static token file; for
 * a node, the API server's client certificate for kubelets ({@code system:masters}), the kubelet's
 * serving certificate and the node's token ({@code system:node:<name>} in {@code system:nodes},
 * as the Node authorizer requires).
 */
record KubePki(Path dir, String adminToken, String restrictedToken, String nodeToken) {

  /** {@code extraIps}: more addresses the API server is reached at (for example the Docker bridge's). */
  static KubePki create(Path dir, List<String> extraIps) throws IOException {
    Files.createDirectories(dir);
    Path log = dir.resolve("openssl.log");
    openssl(dir, log, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "3650", "-subj", "/CN=rebound-local-ca");
    Files.writeString(dir.resolve("serving.ext"),
        "subjectAltName=IP:127.0.0.1,IP:10.0.0.1," + extraIps.stream().map(ip -> "IP:" + ip + ",").collect(
            java.util.stream.Collectors.joining()) + "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
            + "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n"
            + "extendedKeyUsage=serverAuth\n");
    signed(dir, log, "apiserver", "/CN=kube-apiserver", "serving.ext");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    signed(dir, log, "apiserver-kubelet-client", "/O=system:masters/CN=kube-apiserver-kubelet-client", "client.ext");
    Files.writeString(dir.resolve("kubelet.ext"), "subjectAltName=IP:127.0.0.1," + extraIps.stream()
        .map(ip -> "IP:" + ip + ",").collect(java.util.stream.Collectors.joining()) + "DNS:" + KubeNode.NAME + "\n"
        + "extendedKeyUsage=serverAuth\n");
    signed(dir, log, "kubelet", "/CN=" + KubeNode.NAME, "kubelet.ext");
    openssl(dir, log, "genrsa", "-out", "sa.key", "2048");
    openssl(dir, log, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
    String admin = Secrets.randomHex(16);
    String restricted = Secrets.randomHex(16);
    String node = Secrets.randomHex(16);
    String nodeUser = "system:node:" + KubeNode.NAME;
    Files.writeString(dir.resolve("tokens.csv"),
        admin + "," + KubeCluster.ADMIN_USER + "," + KubeCluster.ADMIN_USER + ",\"system:masters\"\n"
            + restricted + "," + KubeCluster.RESTRICTED_USER + "," + KubeCluster.RESTRICTED_USER
            + ",\"rebound:restricted\"\n"
            + node + "," + nodeUser + "," + nodeUser + ",\"system:nodes\"\n");
    return new KubePki(dir, admin, restricted, node);
  }

  /** {@code <name>.key} and {@code <name>.crt} signed by the CA, with the extensions file given. */
  private static void signed(Path dir, Path log, String name, String subject, String extensions) throws IOException {
    openssl(dir, log, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
        "-subj", subject);
    openssl(dir, log, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", name + ".crt", "-days", "3650", "-extfile", extensions);
  }

  Path cert(String name) {
    return dir.resolve(name + ".crt");
  }

  Path key(String name) {
    return dir.resolve(name + ".key");
  }

  Path caCert() {
    return dir.resolve("ca.crt");
  }

  Path caKey() {
    return dir.resolve("ca.key");
  }

  Path servingCert() {
    return dir.resolve("apiserver.crt");
  }

  Path servingKey() {
    return dir.resolve("apiserver.key");
  }

  Path serviceAccountKey() {
    return dir.resolve("sa.key");
  }

  Path serviceAccountPublicKey() {
    return dir.resolve("sa.pub");
  }

  Path tokenFile() {
    return dir.resolve("tokens.csv");
  }

  String caCertBase64() throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(caCert()));
  }

  /** An SSL context trusting only this cluster's CA, for readiness checks. */
  SSLContext sslContext() throws IOException {
    try (InputStream in = Files.newInputStream(caCert())) {
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("rebound-local-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust the cluster CA " + caCert(), e);
    }
  }

  private static void openssl(Path dir, Path log, String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    ManagedProcess.runToCompletion("openssl " + args[0], cmd, dir, log, Duration.ofSeconds(60));
  }
}
