package dev.rebound.coordinator.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackup;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backup of a small but realistic cluster, as Velero writes it: the Kubernetes guestbook
 * (namespace {@code guestbook}) and Velero's nginx example ({@code nginx-example}) from the
 * real-world manifests, plus a namespace {@code shop} with config, secrets, a service account, a
 * claim and its volume, a CRD with custom resources, and the items Velero never restores
 * (completed pod and job) or skips (mirror pod).
 */
public final class SampleBackup {

  public static final String NAME = "cluster-daily-20261121020000";
  public static final String CRD_GROUP = "shop.example.com";

  private SampleBackup() {}

  public static Path realWorld(String relative) {
    return Path.of(System.getProperty("rebound.project.root"), "..", "shared", "testdata", "real-world", relative)
        .normalize();
  }

  public static VeleroBackup build() {
    return build(NAME);
  }

  public static VeleroBackup build(String name) {
    VeleroBackupBuilder b = VeleroBackupBuilder.named(name).schedule("cluster-daily")
        .startedAt(Instant.parse("2026-11-21T02:00:00Z")).completedAt(Instant.parse("2026-11-21T02:03:12Z"))
        .customResource(CRD_GROUP, "Widget", "widgets", true);
    b.item(RealisticItems.namespace("guestbook"));
    b.items(RealisticItems.liveObjects("guestbook",
        RealisticItems.allFromManifest(realWorld("kubernetes-examples/web/guestbook/all-in-one/guestbook-all-in-one.yaml"))));
    b.items(RealisticItems.liveObjects(null, RealisticItems.allFromManifest(realWorld("velero/examples/nginx-app/base.yaml"))));
    b.item(RealisticItems.namespace("shop"));
    for (int i = 1; i <= 5; i++) {
      b.item(RealisticItems.configMap("shop", "settings-" + i, Map.of("mode", "production", "index", "" + i)));
    }
    for (int i = 1; i <= 3; i++) {
      b.item(RealisticItems.secret("shop", "credentials-" + i, Map.of("password", "s3cr3t-" + i)));
    }
    ObjectNode sa = RealisticItems.serviceAccount("shop", "checkout");
    b.item(sa);
    b.item(RealisticItems.serviceAccountTokenSecret(sa));
    ObjectNode claim = RealisticItems.persistentVolumeClaim("shop", "orders-data", "1Gi");
    b.item(claim);
    b.item(RealisticItems.persistentVolume(claim));
    b.item(RealisticItems.completedPod("shop", "migrate-db-x7k2p"));
    b.item(RealisticItems.completedJob("shop", "migrate-db"));
    b.item(RealisticItems.mirrorPod("shop", "static-web-node-1"));
    b.item(RealisticItems.customResourceDefinition(CRD_GROUP, "Widget", "widgets", true));
    for (String color : List.of("blue", "green", "red", "yellow")) {
      ObjectNode spec = Json.mapper().createObjectNode().put("color", color).put("size", color.length());
      ObjectNode widget = RealisticItems.customResource(CRD_GROUP, "v1", "Widget", "shop", color, spec);
      ((ObjectNode) widget.with("metadata").with("labels")).put("tier", color.equals("red") ? "premium" : "basic");
      b.item(widget);
    }
    return b.build();
  }
}
