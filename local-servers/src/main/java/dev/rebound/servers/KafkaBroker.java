package dev.rebound.servers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real single-node Kafka broker in KRaft combined mode, run from the Kafka jars of Maven Central
 * as a child process (storage formatted first with Kafka's StorageTool, which exits its JVM and so
 * never runs in ours). All replication factors are 1, as on any single-node cluster.
 */
public final class KafkaBroker implements AutoCloseable {

  /** Partitions of auto-created topics; more than one so consumer groups really spread work. */
  public static final int DEFAULT_PARTITIONS = 4;

  private final int port;
  private final Path dir;
  private final List<String> command;
  /** The broker's current process: replaced by {@link #restart()}. */
  private volatile ManagedProcess process;
  private int starts = 1;
  /**
   * The 256-bit payload key (base64) that Rebound's services using this broker seal item tasks with
   * ({@code rebound.service.payload-key}): made fresh with the broker, since the sealed records live
   * exactly as long as its data. Given to services in their mode-600 configuration files only.
   */
  private final String payloadKey = Secrets.randomBase64(32);

  private KafkaBroker(int port, Path dir, List<String> command, ManagedProcess process) {
    this.port = port;
    this.dir = dir;
    this.command = command;
    this.process = process;
  }

  public static KafkaBroker start(Path dir) throws IOException {
    int port = Ports.free();
    int controllerPort = Ports.free();
    Files.createDirectories(dir);
    Path config = dir.resolve("server.properties");
    Files.writeString(config, serverProperties(dir.resolve("data"), port, controllerPort));
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, LOG4J);
    String classpath = Java.recordedClasspath("kafka.classpath");
    List<String> java =
        Java.command("-Xms64m", "-Xmx512m", "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath);
    Path log = dir.resolve("kafka.log");
    ManagedProcess.runToCompletion(
        "kafka storage format",
        concat(java, "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString()),
        dir, dir.resolve("kafka-format.log"), Duration.ofSeconds(60));
    List<String> command = concat(java, "kafka.Kafka", config.toString());
    return new KafkaBroker(port, dir, command, launch(command, dir, log, port));
  }

  private static ManagedProcess launch(List<String> command, Path dir, Path log, int port) throws IOException {
    ManagedProcess broker = ManagedProcess.start("kafka", command, dir, log, Map.of());
    broker.awaitReady(
        () -> Ports.listening(port) && broker.logContains("Kafka Server started"),
        Duration.ofSeconds(60));
    return broker;
  }

  /**
   * Kills the broker with SIGKILL, as a crash would (nothing flushed, no controlled shutdown), and
   * returns once its process is gone. {@link #restart()} brings it back.
   */
  public synchronized void kill() {
    ManagedProcess killed = process;
    killed.kill();
    // The guard above the broker notices within a second that its child is gone, and exits.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (killed.isAlive() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Starts the broker again, on the same ports, with the same configuration and data directory
   * (not formatted again: the topics, records, committed offsets and the payload key's records
   * stay), after {@link #kill()} or a crash; returns once it serves. Its log goes to
   * {@code kafka-restart-<n>.log} beside the first.
   */
  public synchronized void restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("the broker still runs; kill it first");
    }
    starts++;
    process = launch(command, dir, dir.resolve("kafka-restart-" + starts + ".log"), port);
  }

  /** The value for {@code kafka.bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /**
   * Runs Kafka's own {@code kafka-console-consumer} (the tools of the broker's class path) on one
   * topic from its first offset, printing keys, headers and values, until it has printed
   * {@code records} records or none has come for {@code idle}; returns the bytes it printed on its
   * standard output.
   */
  public byte[] consoleConsume(String topic, long records, Path dir, Duration idle) throws IOException {
    Files.createDirectories(dir);
    Path out = Files.createTempFile(dir, "console-consumer-", ".out");
    Path err = dir.resolve(out.getFileName() + ".err");
    List<String> command = concat(Java.command("-Xmx256m", "-cp", Java.recordedClasspath("kafka.classpath")),
        "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server", bootstrapServers(), "--topic", topic,
        "--from-beginning", "--max-messages", Long.toString(records), "--timeout-ms", Long.toString(idle.toMillis()),
        "--property", "print.key=true",
        "--property", "print.headers=true");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    try {
      if (!process.waitFor(idle.toMillis() + 60_000, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("kafka-console-consumer on " + topic + " did not end; see " + err);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + topic, e);
    }
    String printed = Files.readString(err);
    if (!printed.contains("Processed a total of")) {
      throw new IOException("kafka-console-consumer on " + topic + " exited with " + process.exitValue() + ": "
          + printed);
    }
    return Files.readAllBytes(out);
  }

  /** The key item tasks on this broker are sealed with (see the field); a secret, never logged. */
  public String payloadKey() {
    return payloadKey;
  }

  public ManagedProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }

  private static String serverProperties(Path data, int port, int controllerPort) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=" + DEFAULT_PARTITIONS,
        "auto.create.topics.enable=false", // services create their topics with their settings (TopicSetup)
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Kubernetes objects go up to 1.5 MB; leave room for the envelope.
        "message.max.bytes=4194304",
        "")
        ;
  }

  /**
   * Kafka's cluster id format: a random UUID as 22 characters of unpadded URL-safe base64. Like
   * Kafka's own {@code Uuid.randomUuid}, never one starting with '-': the storage tool's argument
   * parser would take it for an option (about one id in 64).
   */
  static String clusterId() {
    String id;
    do {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16);
      bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    } while (id.startsWith("-"));
    return id;
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  private static final String LOG4J =
      """
      rootLogger.level = INFO
      rootLogger.appenderRef.stdout.ref = STDOUT
      appender.stdout.type = Console
      appender.stdout.name = STDOUT
      appender.stdout.layout.type = PatternLayout
      appender.stdout.layout.pattern = [%d] %p %m (%c)%n
      logger.kafka.name = kafka
      logger.kafka.level = INFO
      logger.apache.name = org.apache.kafka
      logger.apache.level = WARN
      # Why a partition has no leader: the controller fencing the broker (its session timed out).
      logger.fencing.name = org.apache.kafka.controller.ReplicationControlManager
      logger.fencing.level = INFO
      """;
}
