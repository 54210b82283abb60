package dev.rebound.support.settings;

import dev.rebound.support.config.ServiceConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs every {@link SettingsCheck} of the service at start and again every
 * {@code rebound.service.settings-check-interval}, logs one ERROR line per problem when it
 * appears (and an INFO line when it is fixed), and holds the work back: actions registered with
 * {@link #onceValid} (starting a consumer, resuming a channel) run only once every check passes,
 * so a service never takes work half-configured. When a setting becomes usable later (the broker
 * comes up, a kubeconfig is made readable), the next round lets the work start, without a restart.
 */
@ApplicationScoped
public class ServiceSettings {

  private static final Logger LOG = Logger.getLogger(ServiceSettings.class);

  private final List<SettingsCheck> checks;
  private final Duration interval;
  private final String component;
  private final Map<String, List<SettingProblem>> current = new LinkedHashMap<>();
  private final List<Runnable> whenValid = new ArrayList<>();
  private final Map<String, List<Runnable>> whenPassed = new LinkedHashMap<>();
  private volatile boolean checked;
  private volatile boolean valid;
  private ScheduledExecutorService timer;

  @jakarta.inject.Inject
  ServiceSettings(@Any Instance<SettingsCheck> checks, ServiceConfig config) {
    this(checks.stream().toList(), config.settingsCheckInterval(), config.component());
  }

  /** Outside CDI (tests): these checks, run by {@link #runChecks} or every {@code interval} once started. */
  public ServiceSettings(List<SettingsCheck> checks, Duration interval, String component) {
    this.checks = List.copyOf(checks);
    this.interval = interval;
    this.component = component;
  }

  /** First of the start observers: the checks' first round begins before any consumer would start. */
  void start(@Observes @Priority(1) StartupEvent event) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "settings-check");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::runChecks, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** One round of every check; public for tests that drive the checks themselves. */
  public void runChecks() {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      for (SettingsCheck check : checks) {
        List<SettingProblem> found = run(check);
        if (Thread.currentThread().isInterrupted()) {
          return; // shutting down: a check cut short says nothing about the settings
        }
        List<SettingProblem> before = current.getOrDefault(check.name(), List.of());
        for (SettingProblem p : found) {
          if (!before.contains(p) && !valid) {
            LOG.errorf("Configuration error, %s takes no work until it is fixed: %s", component, p);
          } else if (!before.contains(p)) {
            LOG.errorf("Configuration error found while %s works (work in progress reports its failures): %s",
                component, p);
          }
        }
        for (SettingProblem p : before) {
          if (found.stream().noneMatch(f -> f.property().equals(p.property()))) {
            LOG.infof("Configuration fixed: %s", p.property());
          }
        }
        current.put(check.name(), found);
        if (found.isEmpty()) {
          due.addAll(whenPassed.getOrDefault(check.name(), List.of()));
          whenPassed.remove(check.name());
        }
      }
      checked = true;
      if (!valid && problems().isEmpty()) {
        valid = true;
        LOG.infof("Configuration valid (%d checks): %s takes work", checks.size(), component);
        due.addAll(whenValid);
        whenValid.clear();
      }
    }
    due.forEach(ServiceSettings::runSafely);
  }

  private static List<SettingProblem> run(SettingsCheck check) {
    try {
      return List.copyOf(check.check());
    } catch (RuntimeException e) {
      return List.of(new SettingProblem("(" + check.name() + ")", "the check itself failed: " + e));
    }
  }

  private static void runSafely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.error("Failure starting work after the configuration became valid", e);
    }
  }

  /** Runs {@code action} once every check has passed (at once if that already happened). */
  public void onceValid(Runnable action) {
    synchronized (this) {
      if (!valid) {
        whenValid.add(action);
        return;
      }
    }
    runSafely(action);
  }

  /** Runs {@code action} once the check named {@code check} has passed, whatever the others say. */
  public void oncePassed(String check, Runnable action) {
    synchronized (this) {
      if (!checked || !current.containsKey(check) || !current.get(check).isEmpty()) {
        whenPassed.computeIfAbsent(check, c -> new ArrayList<>()).add(action);
        return;
      }
    }
    runSafely(action);
  }

  /** Whether every check has passed once: the service has started taking work. */
  public boolean valid() {
    return valid;
  }

  /** Whether the first round of checks has run. */
  public boolean checked() {
    return checked;
  }

  /** The problems of the latest round, in check order. */
  public synchronized List<SettingProblem> problems() {
    return current.values().stream().flatMap(List::stream).toList();
  }

  /** The names of the checks, in the order they run. */
  public List<String> checkNames() {
    return checks.stream().map(SettingsCheck::name).toList();
  }
}
