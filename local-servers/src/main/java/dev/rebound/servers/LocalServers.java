package dev.rebound.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One broker, one S3 server and one cluster per JVM, each started on first use and shared by every
 * test class of that JVM, stopped when the JVM exits. Their logs stay under
 * {@code target/local-servers/<run>/} of the module being tested.
 */
public final class LocalServers {

  // The process id too: test JVMs forked side by side start within the same second.
  private static final Path RUN_DIR = Path.of("target", "local-servers",
      LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + ProcessHandle.current().pid())
      .toAbsolutePath();

  private static KafkaBroker kafka;
  private static S3Server s3;
  private static KubeCluster kube;
  private static KubeNode node;
  private static int nodeUsers;

  static {
    // A node left running at exit (a class that never released it) is still stopped and cleaned up.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (LocalServers.class) {
        if (node != null) {
          node.close();
        }
      }
    }));
  }

  private LocalServers() {}

  public static synchronized KafkaBroker kafka() {
    if (kafka == null) {
      kafka = started(() -> KafkaBroker.start(RUN_DIR.resolve("kafka")));
    }
    return kafka;
  }

  public static synchronized S3Server s3() {
    if (s3 == null) {
      s3 = started(() -> S3Server.start(RUN_DIR.resolve("s3")));
    }
    return s3;
  }

  public static synchronized KubeCluster kube() {
    if (kube == null) {
      kube = started(() -> KubeCluster.start(RUN_DIR.resolve("kube"), KubeBinaries.locate()));
    }
    return kube;
  }

  /**
   * The cluster with a real node (kubelet, scheduler, kube-proxy), so pods run. Opt-in per test
   * class, since the node costs CPU and there can be only one per machine: a class that calls this
   * calls {@link #releaseNode()} when it is done (the last release stops the node).
   */
  public static synchronized KubeCluster kubeWithNode() {
    KubeCluster cluster = kube();
    if (node == null) {
      try {
        node = KubeNode.start(cluster, RUN_DIR.resolve("node"), KubeBinaries.locate());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    nodeUsers++;
    return cluster;
  }

  public static synchronized void releaseNode() {
    if (node != null && --nodeUsers <= 0) {
      node.close();
      node = null;
      nodeUsers = 0;
    }
  }

  /** Where this JVM's servers keep their files and logs. */
  public static Path runDir() {
    return RUN_DIR;
  }

  /** How long a node start waits for another process's node to stop ({@link MachineLock}). */
  public static Duration nodeLockWait() {
    return Duration.ofSeconds(Long.getLong(MachineLock.WAIT_PROPERTY, 0));
  }

  /**
   * This JVM's local-server settings as {@code -D} options, for a child JVM that starts local
   * servers itself (the local stack launched by a test): the node lock's wait and the servers' JVM options.
   */
  public static List<String> childJvmOptions() {
    return List.of("-D" + MachineLock.WAIT_PROPERTY + "=" + nodeLockWait().toSeconds(),
        "-D" + Java.OPTIONS_PROPERTY + "=" + System.getProperty(Java.OPTIONS_PROPERTY, ""));
  }

  private interface Starter<T extends AutoCloseable> {
    T start() throws IOException;
  }

  private static <T extends AutoCloseable> T started(Starter<T> starter) {
    try {
      T server = starter.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (Exception e) {
          // The guard around each process stops it once this JVM is gone anyway.
        }
      }));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
