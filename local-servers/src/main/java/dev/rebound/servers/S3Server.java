package dev.rebound.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real S3 API: S3Proxy with jclouds' filesystem backend, as a child process (in our JVM it would
 * bring Jetty 12 and Jackson 3 onto the class path). Requests must be signed (AWS v2 or v4) with
 * the credentials generated for this run.
 */
public final class S3Server implements AutoCloseable {

  /** The region clients should sign for; S3Proxy accepts any. */
  public static final String REGION = "us-east-1";

  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final ManagedProcess process;
  private final Path dataDir;

  private S3Server(int port, String accessKey, String secretKey, ManagedProcess process, Path dataDir) {
    this.dataDir = dataDir;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.process = process;
  }

  public static S3Server start(Path dir) throws IOException {
    int port = Ports.free();
    String accessKey = "rebound-" + Secrets.randomHex(4);
    String secretKey = Secrets.randomHex(20);
    Path data = Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("s3proxy.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + accessKey,
            "s3proxy.credential=" + secretKey,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data,
            "jclouds.identity=local",
            "jclouds.credential=local",
            ""));
    String jar = Java.recordedClasspath("s3proxy.classpath");
    ManagedProcess process =
        ManagedProcess.start(
            "s3proxy",
            // jclouds' filesystem store serves a bucket or object to anonymous clients when its
            // directory or file is readable by others: nothing S3Proxy creates may be.
            Stream.concat(Stream.of("sh", "-c", "umask 027 && exec \"$0\" \"$@\""),
                Java.command("-Xms32m", "-Xmx384m", "-jar", jar, "--properties", config.toString()).stream()).toList(),
            dir, dir.resolve("s3proxy.log"), Map.of());
    URI endpoint = URI.create("http://127.0.0.1:" + port + "/");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    process.awaitReady(() -> answers(http, endpoint), Duration.ofSeconds(60));
    return new S3Server(port, accessKey, secretKey, process, data);
  }

  /**
   * Creates a bucket before any client connects. With jclouds' filesystem backend a bucket is a
   * directory under the data directory, so this needs no signed request.
   */
  public void createBucket(String name) throws IOException {
    Path bucket = dataDir.resolve(name);
    Files.createDirectories(bucket);
    // Not readable by others, or anyone could list and read it without signing (see start).
    Files.setPosixFilePermissions(bucket, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public ManagedProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }

  /** Any HTTP answer (an unsigned request gets 403) means S3Proxy is serving. */
  private static boolean answers(HttpClient http, URI endpoint) {
    try {
      http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
