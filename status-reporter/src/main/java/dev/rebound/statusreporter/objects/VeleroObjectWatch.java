package dev.rebound.statusreporter.objects;

import dev.rebound.model.Json;
import dev.rebound.statusreporter.auth.AuthConfig;
import dev.rebound.support.kube.ManagementClient;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.settings.ServiceSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One kind of Velero object in the management cluster's Velero namespace, handled by one worker
 * thread: an informer only queues the names of objects that changed; the worker handles them, and
 * every object once per {@link #sweepInterval()}. It starts once the restore log is read (so no
 * restore is taken for missing because the book has not reached it), and after any failure (the CRD
 * not installed, the API server down) it logs once and tries again 5 s later.
 */
abstract class VeleroObjectWatch {

  private static final Logger LOG = Logger.getLogger(VeleroObjectWatch.class);

  protected final String namespace;
  protected final RestoreBook book;
  protected final Clock clock = Clock.systemUTC();
  private final ResourceDefinitionContext context;
  private final ServiceSettings settings;
  private final AuthConfig auth;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker;
  private TargetClusters management;
  private SharedIndexInformer<GenericKubernetesResource> informer;
  private Instant sweptAt = Instant.EPOCH;
  private Instant retryAt = Instant.EPOCH;
  private String lastProblem;

  VeleroObjectWatch(ResourceDefinitionContext context, String namespace, RestoreBook book, ServiceSettings settings,
      AuthConfig auth) {
    this.context = context;
    this.namespace = namespace;
    this.book = book;
    this.settings = settings;
    this.auth = auth;
    String thread = context.getPlural() + "-watch";
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, thread);
      t.setDaemon(true);
      return t;
    });
  }

  /** Whether this watch is switched on by its configuration. */
  protected abstract boolean enabled();

  /** Starts the worker, when switched on, once every setting is valid. */
  void start(@Observes StartupEvent event) {
    if (enabled()) {
      settings.onceValid(() -> worker.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS));
    }
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
    if (informer != null) {
      informer.close();
    }
    if (management != null) {
      management.close();
    }
  }

  /** How often every object is looked at, changed or not. */
  protected abstract Duration sweepInterval();

  /** Worker thread, before the objects of a tick: false to leave every object alone this time. */
  protected boolean ready(Instant now) {
    return true;
  }

  /** Worker thread: one object, changed or swept. */
  protected abstract void handle(GenericKubernetesResource object, Instant now);

  /** Worker thread, after a sweep handled every object: the names of the objects there are. */
  protected void swept(java.util.Set<String> present, Instant now) {}

  /** Informer thread: an object is gone. */
  protected void gone(String name) {}

  protected KubernetesClient client() {
    return management.defaultClient();
  }

  protected Resource<GenericKubernetesResource> resource(String name) {
    return client().genericKubernetesResources(context).inNamespace(namespace).withName(name);
  }

  /** Looks at the object again at the next tick. */
  protected void again(String name) {
    queued.add(name);
  }

  /** A JSON merge patch; an object deleted meanwhile is no error. */
  protected void patch(String name, Map<String, Object> patch) {
    try {
      resource(name).patch(PatchContext.of(PatchType.JSON_MERGE), Json.mapper().writeValueAsString(patch));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Deletes the object; one deleted meanwhile is no error. */
  protected void delete(String name) {
    try {
      resource(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @SuppressWarnings("unchecked")
  protected static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      if (!book.historyRead() || now.isBefore(retryAt)) {
        return;
      }
      if (informer == null) {
        management = ManagementClient.of(auth.kubernetes().kubeconfig());
        informer = client().genericKubernetesResources(context).inNamespace(namespace).inform(new Queue(), 0);
        LOG.infof("watching %s.%s in namespace %s of %s", context.getPlural(), context.getGroup(), namespace,
            ManagementClient.where(auth.kubernetes().kubeconfig()));
      }
      if (!ready(now)) {
        return;
      }
      List<String> names = new ArrayList<>();
      boolean sweep = now.isAfter(sweptAt.plus(sweepInterval()));
      if (sweep) {
        sweptAt = now;
        informer.getStore().listKeys().forEach(k -> names.add(k.substring(k.indexOf('/') + 1)));
      } else {
        names.addAll(queued);
      }
      for (String name : names) {
        queued.remove(name);
        GenericKubernetesResource object = informer.getStore().getByKey(namespace + "/" + name);
        if (object != null) {
          handle(object, now);
        }
      }
      if (sweep) {
        swept(new java.util.HashSet<>(names), now);
      }
      lastProblem = null;
    } catch (RuntimeException e) {
      String problem = "cannot handle " + context.getPlural() + "." + context.getGroup() + " in namespace " + namespace
          + " yet: " + e.getMessage();
      if (!problem.equals(lastProblem)) {
        LOG.warn(problem); // once, until it changes or goes away
        lastProblem = problem;
      }
      if (informer != null && !informer.isRunning()) {
        informer.close();
        informer = null;
      }
      retryAt = clock.instant().plusSeconds(5);
    }
  }

  /** Informer threads: names whose object changed, handled on the worker thread. */
  private final class Queue implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource object) {
      queued.add(object.getMetadata().getName());
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource object) {
      queued.add(object.getMetadata().getName());
    }

    @Override
    public void onDelete(GenericKubernetesResource object, boolean unknownFinalState) {
      queued.remove(object.getMetadata().getName());
      gone(object.getMetadata().getName());
    }
  }
}
