package dev.rebound.statusreporter.objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Rebound never runs a Restore object that a Velero server is also going to run. Velero's restore
 * controller takes every Restore in phase {@code ""} or {@code New} of its namespace, and no label
 * or annotation keeps it off one. So Rebound takes Restore objects only while no Velero server runs
 * that controller: its Deployment ({@code velero}, container {@code velero}, args starting with
 * {@code server}, as {@code velero install} makes it) is absent, scaled to zero, or started with
 * {@code --disable-controllers} naming {@code restore} (Velero's own switch, comma-separated).
 */
final class VeleroServerGuard {

  static final String DEPLOYMENT = "velero";

  private VeleroServerGuard() {}

  /**
   * Why Rebound must leave the objects of one of Velero's controllers alone now, or empty when that
   * controller does not run.
   *
   * @param controller Velero's name of the controller, as {@code --disable-controllers} takes it
   * @param why what the message says after "a Velero server (deployment ...) runs "
   */
  static Optional<String> blocking(KubernetesClient client, String namespace, String controller, String why) {
    Deployment velero = client.apps().deployments().inNamespace(namespace).withName(DEPLOYMENT).get();
    if (velero == null || velero.getSpec() == null) {
      return Optional.empty();
    }
    Integer replicas = velero.getSpec().getReplicas();
    if (replicas != null && replicas == 0) {
      return Optional.empty();
    }
    List<Container> containers = velero.getSpec().getTemplate().getSpec().getContainers();
    Container server = containers.stream().filter(c -> DEPLOYMENT.equals(c.getName())).findFirst()
        .orElse(containers.isEmpty() ? null : containers.get(0));
    if (server != null && disabled(server).contains(controller)) {
      return Optional.empty();
    }
    return Optional.of("a Velero server (deployment " + namespace + "/" + DEPLOYMENT + ") runs " + why);
  }

  /**
   * The guard of one of Velero's controllers as a watch looks at it: the Deployment is read at most
   * every 5 s, and a change of the verdict is logged once.
   */
  static final class Watch {
    private static final java.time.Duration CHECK = java.time.Duration.ofSeconds(5);
    private final String controller;
    private final String why;
    private final String free;
    private Optional<String> blocked = Optional.empty();
    private java.time.Instant checkedAt = java.time.Instant.EPOCH;

    /**
     * @param why what the message says after "a Velero server (deployment ...) runs "
     * @param free what is logged when the controller does not run (any more)
     */
    Watch(String controller, String why, String free) {
      this.controller = controller;
      this.why = why;
      this.free = free;
    }

    /** Whether Rebound may act on the controller's objects now. */
    boolean allows(KubernetesClient client, String namespace, java.time.Instant now, org.jboss.logging.Logger log) {
      if (now.isAfter(checkedAt.plus(CHECK))) {
        checkedAt = now;
        Optional<String> reason = blocking(client, namespace, controller, why);
        if (!reason.equals(blocked)) {
          reason.ifPresentOrElse(log::warn, () -> log.info(free));
        }
        blocked = reason;
      }
      return blocked.isEmpty();
    }
  }

  /** The controllers a Velero server container disables ({@code --disable-controllers a,b} or {@code =a,b}). */
  static List<String> disabled(Container server) {
    List<String> args = new ArrayList<>();
    if (server.getCommand() != null) {
      args.addAll(server.getCommand());
    }
    if (server.getArgs() != null) {
      args.addAll(server.getArgs());
    }
    List<String> disabled = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      if (arg.startsWith("--disable-controllers=")) {
        value = arg.substring("--disable-controllers=".length());
      } else if (arg.equals("--disable-controllers") && i + 1 < args.size()) {
        value = args.get(i + 1);
      }
      if (value != null) {
        Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(disabled::add);
      }
    }
    return disabled;
  }
}
