package dev.rebound.coordinator.plan;

import java.util.List;

/**
 * A discovery snapshot of a Kubernetes 1.20 cluster (the resources our tests use), as
 * {@link dev.rebound.coordinator.kube.Discovery} reads it from the real API server.
 */
final class Catalogs {

  static final ResourceCatalog K8S_1_20 = new ResourceCatalog(List.of(
      new ApiResource("", "v1", "namespaces", "", "Namespace", false, List.of("ns")),
      new ApiResource("", "v1", "pods", "", "Pod", true, List.of("po")),
      new ApiResource("", "v1", "services", "", "Service", true, List.of("svc")),
      new ApiResource("", "v1", "configmaps", "", "ConfigMap", true, List.of("cm")),
      new ApiResource("", "v1", "secrets", "", "Secret", true, List.of()),
      new ApiResource("", "v1", "serviceaccounts", "", "ServiceAccount", true, List.of("sa")),
      new ApiResource("", "v1", "persistentvolumeclaims", "", "PersistentVolumeClaim", true, List.of("pvc")),
      new ApiResource("", "v1", "persistentvolumes", "", "PersistentVolume", false, List.of("pv")),
      new ApiResource("", "v1", "events", "", "Event", true, List.of("ev")),
      new ApiResource("", "v1", "nodes", "", "Node", false, List.of("no")),
      new ApiResource("", "v1", "endpoints", "", "Endpoints", true, List.of("ep")),
      new ApiResource("apps", "v1", "deployments", "", "Deployment", true, List.of("deploy")),
      new ApiResource("apps", "v1", "replicasets", "", "ReplicaSet", true, List.of("rs")),
      new ApiResource("events.k8s.io", "v1", "events", "", "Event", true, List.of("ev")),
      new ApiResource("batch", "v1", "jobs", "", "Job", true, List.of()),
      new ApiResource("rbac.authorization.k8s.io", "v1", "roles", "", "Role", true, List.of()),
      new ApiResource("rbac.authorization.k8s.io", "v1", "rolebindings", "", "RoleBinding", true, List.of()),
      new ApiResource("rbac.authorization.k8s.io", "v1", "clusterroles", "", "ClusterRole", false, List.of()),
      new ApiResource("storage.k8s.io", "v1", "storageclasses", "", "StorageClass", false, List.of("sc")),
      new ApiResource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "", "CustomResourceDefinition", false,
          List.of("crd", "crds"))));

  private Catalogs() {}
}
