package dev.rebound.coordinator.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link HookRunner.PodApi} through a target cluster's API server (the pods' exec subresource). */
public final class KubePods implements HookRunner.PodApi {

  private final KubernetesClient client;

  public KubePods(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public JsonNode get(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    return pod == null ? null : Json.mapper().valueToTree(pod);
  }

  @Override
  public HookRunner.Output exec(String namespace, String pod, String container, List<String> command,
      long timeoutMillis) throws HookRunner.HookFailure {
    if (command.isEmpty()) {
      throw new HookRunner.HookFailure("command is required");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
        .writingOutput(out).writingError(err).exec(command.toArray(String[]::new))) {
      Integer code = watch.exitCode().get(timeoutMillis, TimeUnit.MILLISECONDS);
      HookRunner.Output output = new HookRunner.Output(out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
      if (code != null && code != 0) {
        throw new HookRunner.HookFailure("command terminated with exit code " + code, output);
      }
      return output;
    } catch (TimeoutException e) {
      throw new HookRunner.HookFailure("timed out after " + dev.rebound.model.velero.GoDurations.format(timeoutMillis));
    } catch (ExecutionException e) {
      throw new HookRunner.HookFailure(reason(e.getCause() == null ? e : e.getCause()));
    } catch (KubernetesClientException e) {
      throw new HookRunner.HookFailure(reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HookRunner.HookFailure("interrupted");
    }
  }

  /**
   * The API server's own words when there are some (the Status of a refused upgrade), else the
   * most specific message along the causes: fabric8 wraps a refused exec as "An error has occurred."
   */
  static String reason(Throwable failure) {
    String best = null;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
      if (t.getMessage() != null && !t.getMessage().equals("An error has occurred.")) {
        best = best == null ? t.getMessage() : best;
      }
    }
    return best == null ? String.valueOf(failure) : best;
  }
}
