package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.pipeline.PodVolume;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.RestoreSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Velero's {@code velero.io/pod-volume-restore} action (reference 4, 6.2), read from {@code pod_volume_restore_action.go}. */
class PodVolumeRestoreActionTest {

  private static final String IMAGE = "rebound/restore-helper:0.1.0";

  /** The plugin ConfigMap's data as the target cluster holds it (null: no ConfigMap). */
  private static TargetLookups cluster(Map<String, String> data) {
    return ActionFixtures.pluginConfig("velero.io/pod-volume-restore", data);
  }

  private static PodVolume volume(String name, String uploader) {
    return new PodVolume(name, "8f3c" + name, uploader, "s3:http://s3/velero/restic/shop", "shop", 4096, "default", null);
  }

  private static ObjectNode pod(String extraSpec) throws Exception {
    return (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'db-0','namespace':'shop'},'spec':{"
        + "'initContainers':[{'name':'restic-wait','image':'velero/velero-restic-restore-helper:v1.9'},"
        + "{'name':'migrate','image':'app:1'}],'containers':[{'name':'db','image':'postgres:16'" + extraSpec + "}],"
        + "'volumes':[{'name':'data','emptyDir':{}},{'name':'logs','emptyDir':{}}]}}");
  }

  private static ObjectNode run(ObjectNode pod, List<PodVolume> volumes, Map<String, String> config) throws Exception {
    return new PodVolumeRestoreAction(IMAGE).execute(new ActionInput(pod, pod.deepCopy(),
        new ActionInput.RestoreInfo("r", "5b1e-uid", RestoreSpec.fromBackup("b")), cluster(config),
        volumes == null ? null : VolumeHint.pod(volumes))).item();
  }

  @Test
  void aPodWithFileSystemBackupsGetsVelerosRestoreWaitInitContainerFirst() throws Exception {
    ObjectNode restored = run(pod(""), List.of(volume("data", "restic"), volume("logs", "")), null);
    JsonNode inits = restored.at("/spec/initContainers");
    assertEquals(2, inits.size(), inits.toString());
    assertEquals(json("{'name':'restore-wait','image':'" + IMAGE + "','command':['/velero-restore-helper'],"
        + "'args':['5b1e-uid'],'env':[{'name':'POD_NAMESPACE','valueFrom':{'fieldRef':{'fieldPath':'metadata.namespace'}}},"
        + "{'name':'POD_NAME','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}],"
        + "'resources':{'limits':{'cpu':'100m','memory':'128Mi'},'requests':{'cpu':'100m','memory':'128Mi'}},"
        + "'volumeMounts':[{'name':'data','mountPath':'/restores/data'},{'name':'logs','mountPath':'/restores/logs'}],"
        + "'securityContext':{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']},'runAsNonRoot':true,"
        + "'runAsUser':1000,'seccompProfile':{'type':'RuntimeDefault'}}}"), inits.get(0));
    assertEquals("migrate", inits.get(1).path("name").asText(), "the legacy restic-wait is gone, others stay");
  }

  @Test
  void withoutVolumesToRestoreOldWaitContainersAreOnlyRemoved() throws Exception {
    ObjectNode restored = run(pod(""), null, null);
    assertEquals(json("[{'name':'migrate','image':'app:1'}]"), restored.at("/spec/initContainers"));
    // A kopia volume is not restored by Rebound (a precise error instead): it never holds the pod.
    assertEquals(1, run(pod(""), List.of(volume("data", "kopia")), null).at("/spec/initContainers").size());
  }

  @Test
  void theFirstContainersSecurityContextIsCopiedWhenTheConfigMapSetsNone() throws Exception {
    ObjectNode restored = run(pod(",'securityContext':{'runAsUser':999,'readOnlyRootFilesystem':true}"),
        List.of(volume("data", "restic")), Map.of("cpuRequest", "250m"));
    assertEquals(json("{'runAsUser':999,'readOnlyRootFilesystem':true}"), restored.at("/spec/initContainers/0/securityContext"));
    assertEquals(json("{'limits':{'cpu':'100m','memory':'128Mi'},'requests':{'cpu':'250m','memory':'128Mi'}}"),
        restored.at("/spec/initContainers/0/resources"));
  }

  @Test
  void theConfigMapSetsImageCommandResourcesAndSecurityContextAsVeleroReadsThem() throws Exception {
    ObjectNode restored = run(pod(",'securityContext':{'runAsUser':999}"), List.of(volume("data", "restic")),
        Map.of("image", "registry.example.com/tools/helper", "command", "/bin/helper", "cpuLimit", "1",
            "memLimit", "256Mi", "secCtxRunAsUser", "2000", "secCtxAllowPrivilegeEscalation", "F",
            "secCtx", "capabilities:\n  drop: [ALL]\nrunAsUser: 3000\n"));
    JsonNode c = restored.at("/spec/initContainers/0");
    assertEquals("registry.example.com/tools/helper:0.1.0", c.path("image").asText(), "a tag-less image gets ours");
    assertEquals(json("['/bin/helper']"), c.path("command"));
    assertEquals(json("{'limits':{'cpu':'1','memory':'256Mi'},'requests':{'cpu':'100m','memory':'128Mi'}}"),
        c.path("resources"));
    assertEquals(json("{'runAsUser':3000,'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']}}"),
        c.path("securityContext"), "secCtx is applied last");
  }

  @Test
  void unparsableValuesFallBackAsVeleroDoes() throws Exception {
    ObjectNode restored = run(pod(",'securityContext':{'runAsUser':999}"), List.of(volume("data", "restic")),
        Map.of("image", "helper:2", "memRequest", "lots", "secCtxRunAsUser", "root"));
    JsonNode c = restored.at("/spec/initContainers/0");
    assertEquals(IMAGE, c.path("image").asText(), "an image without a registry part is ignored");
    assertEquals(json("{'limits':{'cpu':'100m','memory':'128Mi'},'requests':{'cpu':'100m','memory':'128Mi'}}"),
        c.path("resources"), "one bad quantity puts every value back to the defaults");
    assertEquals(json("{'runAsUser':999}"), c.path("securityContext"), "then the first container's is copied");
  }
}
