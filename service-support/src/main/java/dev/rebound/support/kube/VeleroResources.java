package dev.rebound.support.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Velero's custom resources in a target cluster, as the services address them through the fabric8
 * client: defined once, so the coordinator and the volume-restorer cannot drift apart.
 */
public final class VeleroResources {

  /**
   * {@code podvolumerestores.velero.io}, v1, namespaced (in the Velero namespace): the
   * volume-restorer works through them, the coordinator waits for them.
   */
  public static final ResourceDefinitionContext PODVOLUMERESTORES = new ResourceDefinitionContext.Builder()
      .withGroup("velero.io").withVersion("v1").withPlural("podvolumerestores").withKind("PodVolumeRestore")
      .withNamespaced(true).build();

  private VeleroResources() {}
}
