package dev.rebound.support.settings;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every service needs its broker: {@code kafka.bootstrap.servers} must lead to a broker that answers. */
@ApplicationScoped
public class KafkaSettingsCheck implements SettingsCheck {

  public static final String PROPERTY = "kafka.bootstrap.servers";
  /** How long the broker may take to answer before it counts as unreachable. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Optional<String> bootstrapServers;

  KafkaSettingsCheck(@ConfigProperty(name = PROPERTY) Optional<String> bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public List<SettingProblem> check() {
    return check(bootstrapServers.orElse(""));
  }

  /** The problem of one bootstrap list, if any: asks the cluster for its brokers. */
  public static List<SettingProblem> check(String servers) {
    if (servers.isBlank()) {
      return List.of(new SettingProblem(PROPERTY, "is not set"));
    }
    Admin admin;
    try {
      admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
          AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000,
          AdminClientConfig.CLIENT_ID_CONFIG, "rebound-settings-check"));
    } catch (KafkaException e) {
      return List.of(new SettingProblem(PROPERTY, "\"" + servers + "\" is not a usable broker list: " + message(e)));
    }
    try {
      admin.describeCluster().nodes().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return List.of();
    } catch (ExecutionException e) {
      return List.of(unreachable(servers, message(e.getCause())));
    } catch (TimeoutException e) {
      return List.of(unreachable(servers, "no answer"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of(unreachable(servers, "interrupted"));
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  private static SettingProblem unreachable(String servers, String why) {
    return new SettingProblem(PROPERTY, "no Kafka broker answers at \"" + servers + "\" within "
        + TIMEOUT.toSeconds() + "s (" + why + ")");
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
  }
}
