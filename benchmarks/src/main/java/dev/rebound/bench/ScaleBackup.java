package dev.rebound.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackup;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.fixtures.VeleroTarballWriter;
import dev.rebound.model.Json;
import dev.rebound.model.velero.BackupStoreLayout;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scale benchmark's backup: N ConfigMaps and Secrets (with a live cluster's managedFields, as
 * {@link RestoreBenchmark} generates them) over M namespaces, written as a stream so that a million items
 * never sit in memory.
 */
final class ScaleBackup {

  /**
   * Writes the backup's tarball as a stream to {@code tarball} and uploads it with the backup's other files
   * in Velero's layout: {@code velero-backup.json} and the small files from {@link VeleroBackupBuilder}
   * (built with the namespaces only, its item counts then set to the whole backup's), the resource list
   * written here.
   */
  static void upload(S3Server s3, String backup, Path tarball, int items, int namespaces) throws Exception {
    List<ObjectNode> namespaceItems = new ArrayList<>();
    for (int n = 0; n < namespaces; n++) {
      namespaceItems.add(RealisticItems.namespace("bench-" + n));
    }
    VeleroBackup small = VeleroBackupBuilder.named(backup).items(namespaceItems).build();
    String configMap = template(RealisticItems.configMap("NS", "NAME", Map.of("index", "INDEX",
        "settings.yaml", "replicas: 3\nlogLevel: info\nfeature: enabled\n")));
    String secret = template(RealisticItems.secret("NS", "NAME",
        Map.of("token", "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OQ==")));
    List<String> configMaps = new ArrayList<>(items / 2 + 1);
    List<String> secrets = new ArrayList<>(items / 2 + 1);
    List<String> namespaceNames = new ArrayList<>();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tarball), 1 << 16);
        VeleroTarballWriter w = new VeleroTarballWriter(out)) {
      for (ObjectNode ns : namespaceItems) {
        String name = ns.path("metadata").path("name").asText();
        w.writeItem("namespaces", "v1", null, name, Json.mapper().writeValueAsBytes(ns));
        namespaceNames.add(name);
      }
      for (int i = 0; i < items; i++) {
        String ns = "bench-" + (i % namespaces);
        boolean isConfigMap = i % 2 == 0;
        String name = (isConfigMap ? "config-" : "secret-") + i;
        String json = (isConfigMap ? configMap : secret).replace("\"NS\"", "\"" + ns + "\"")
            .replace("\"NAME\"", "\"" + name + "\"").replace("\"INDEX\"", "\"" + i + "\"")
            .replace("\"UID\"", "\"" + String.format("5ca1e000-0000-4000-8000-%012x", i) + "\"");
        w.writeItem(isConfigMap ? "configmaps" : "secrets", "v1", ns, name, json.getBytes(StandardCharsets.UTF_8));
        (isConfigMap ? configMaps : secrets).add(ns + "/" + name);
      }
    }
    BackupStoreLayout layout = new BackupStoreLayout("");
    ObjectNode backupJson = (ObjectNode) Json.mapper().readTree(small.backupJson());
    backupJson.with("status").with("progress").put("totalItems", items + namespaces)
        .put("itemsBackedUp", items + namespaces);
    Map<String, byte[]> objects = new java.util.LinkedHashMap<>(small.objects(layout));
    objects.put(layout.backupMetadata(backup), Json.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(backupJson));
    objects.put(layout.backupResourceList(backup), resourceList(Map.of("v1/ConfigMap", configMaps,
        "v1/Namespace", namespaceNames, "v1/Secret", secrets)));
    try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint()))
        .region(Region.of(S3Server.REGION)).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
            s3.secretKey())))
        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
      for (Map.Entry<String, byte[]> e : objects.entrySet()) {
        RequestBody body = e.getKey().equals(layout.backupTarball(backup)) ? RequestBody.fromFile(tarball)
            : RequestBody.fromBytes(e.getValue());
        client.putObject(b -> b.bucket(ReboundServices.BUCKET).key(e.getKey()), body);
      }
    }
  }

  /** An item as JSON with its namespace, name and uid as placeholders. */
  private static String template(ObjectNode item) throws Exception {
    item.with("metadata").put("name", "NAME").put("namespace", "NS").put("uid", "UID");
    return Json.mapper().writeValueAsString(item);
  }

  /** {@code <b>-resource-list.json.gz}: each key's entries sorted, as Velero writes it. */
  private static byte[] resourceList(Map<String, List<String>> entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
        JsonGenerator json = Json.mapper().getFactory().createGenerator(gzip)) {
      json.writeStartObject();
      for (String key : new java.util.TreeSet<>(entries.keySet())) {
        List<String> sorted = new ArrayList<>(entries.get(key));
        Collections.sort(sorted);
        json.writeArrayFieldStart(key);
        for (String entry : sorted) {
          json.writeString(entry);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }

  private ScaleBackup() {}
}
