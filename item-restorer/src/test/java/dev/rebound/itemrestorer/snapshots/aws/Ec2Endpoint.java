package dev.rebound.itemrestorer.snapshots.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An EC2-compatible endpoint that a test starts itself (no EC2 emulator can be installed here): the
 * EC2 Query protocol (form-encoded POST, {@code Action} and {@code Version}, XML answers in the
 * 2016-11-15 namespace, EC2's error document) for the calls a restore makes: {@code
 * DescribeSnapshots}, {@code CreateVolume} (with {@code ClientToken} idempotency) and {@code
 * DescribeVolumes}. A volume is {@code creating} when created and {@code available} from its
 * second description on, as EC2 volumes become available some time after the create.
 *
 * <p>Every request must be signed (SigV4) with the expected access key, for the expected region
 * and service {@code ec2}; each one is recorded, action and parameters, for the tests to check the
 * sequence.
 */
public final class Ec2Endpoint implements AutoCloseable {

  private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  public record Request(String action, Map<String, String> params) {}

  record Snapshot(String id, boolean encrypted, Map<String, String> tags) {}

  private static final class Volume {
    final String id;
    final Map<String, String> params;
    final Snapshot snapshot;
    int described;

    Volume(String id, Map<String, String> params, Snapshot snapshot) {
      this.id = id;
      this.params = params;
      this.snapshot = snapshot;
    }
  }

  private final HttpServer server;
  private final String accessKey;
  private final String region;
  private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
  private final Map<String, Volume> volumes = new LinkedHashMap<>();
  private final Map<String, Volume> byToken = new LinkedHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  public Ec2Endpoint(String accessKey, String region) throws IOException {
    this.accessKey = accessKey;
    this.region = region;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public synchronized void snapshot(String id, boolean encrypted, Map<String, String> tags) {
    snapshots.put(id, new Snapshot(id, encrypted, tags));
  }

  public synchronized int volumeCount() {
    return volumes.size();
  }

  /** The actions received, in order. */
  public List<String> actions() {
    synchronized (requests) {
      return requests.stream().map(Request::action).toList();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> params = new TreeMap<>();
      for (String pair : body.split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      String action = params.getOrDefault("Action", "");
      requests.add(new Request(action, params));
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String scope = "/" + region + "/ec2/aws4_request";
      if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + accessKey + "/")
          || !authorization.contains(scope)) {
        error(exchange, 401, "AuthFailure", "AWS was not able to validate the provided access credentials");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod()) || !"2016-11-15".equals(params.get("Version"))) {
        error(exchange, 400, "InvalidAction", "The action or operation requested is invalid.");
        return;
      }
      synchronized (this) {
        switch (action) {
          case "DescribeSnapshots" -> describeSnapshots(exchange, params);
          case "CreateVolume" -> createVolume(exchange, params);
          case "DescribeVolumes" -> describeVolumes(exchange, params);
          default -> error(exchange, 400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        }
      }
    }
  }

  private void describeSnapshots(HttpExchange exchange, Map<String, String> params) throws IOException {
    StringBuilder items = new StringBuilder();
    for (String id : indexed(params, "SnapshotId")) {
      Snapshot snapshot = snapshots.get(id);
      if (snapshot == null) {
        error(exchange, 400, "InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.");
        return;
      }
      items.append("<item><snapshotId>").append(id).append("</snapshotId><volumeId>vol-source</volumeId>")
          .append("<status>completed</status><progress>100%</progress><ownerId>111122223333</ownerId>")
          .append("<volumeSize>8</volumeSize><encrypted>").append(snapshot.encrypted()).append("</encrypted>")
          .append(tagSet(snapshot.tags())).append("</item>");
    }
    ok(exchange, "DescribeSnapshotsResponse", "<snapshotSet>" + items + "</snapshotSet>");
  }

  private void createVolume(HttpExchange exchange, Map<String, String> params) throws IOException {
    String token = params.get("ClientToken");
    if (token != null && byToken.containsKey(token)) {
      Volume earlier = byToken.get(token);
      if (!earlier.params.get("SnapshotId").equals(params.get("SnapshotId"))) {
        error(exchange, 400, "IdempotentParameterMismatch",
            "The client token you have provided is associated with a resource that is already deleted or has different parameters.");
        return;
      }
      ok(exchange, "CreateVolumeResponse", volumeXml(earlier, "creating"));
      return;
    }
    String zone = params.getOrDefault("AvailabilityZone", "");
    if (zone.isEmpty()) {
      error(exchange, 400, "MissingParameter", "The request must contain the parameter AvailabilityZone");
      return;
    }
    if (!zone.startsWith(region)) {
      error(exchange, 400, "InvalidParameterValue", "Invalid availability zone: [" + zone + "]");
      return;
    }
    String type = params.getOrDefault("VolumeType", "gp2");
    if ((type.equals("io1") || type.equals("io2")) && !params.containsKey("Iops")) {
      error(exchange, 400, "InvalidParameterCombination", "The parameter iops must be specified for " + type + " volumes.");
      return;
    }
    Snapshot snapshot = snapshots.get(params.get("SnapshotId"));
    if (snapshot == null) {
      error(exchange, 400, "InvalidSnapshot.NotFound", "The snapshot '" + params.get("SnapshotId") + "' does not exist.");
      return;
    }
    Volume volume = new Volume(String.format("vol-%017x", next.incrementAndGet()), params, snapshot);
    volumes.put(volume.id, volume);
    if (token != null) {
      byToken.put(token, volume);
    }
    ok(exchange, "CreateVolumeResponse", volumeXml(volume, "creating"));
  }

  private void describeVolumes(HttpExchange exchange, Map<String, String> params) throws IOException {
    StringBuilder items = new StringBuilder();
    for (String id : indexed(params, "VolumeId")) {
      Volume volume = volumes.get(id);
      if (volume == null) {
        error(exchange, 400, "InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
        return;
      }
      volume.described++;
      items.append("<item>").append(volumeXml(volume, volume.described > 1 ? "available" : "creating"))
          .append("<attachmentSet/></item>");
    }
    ok(exchange, "DescribeVolumesResponse", "<volumeSet>" + items + "</volumeSet>");
  }

  private static String volumeXml(Volume volume, String status) {
    Map<String, String> p = volume.params;
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 1; p.containsKey("TagSpecification.1.Tag." + i + ".Key"); i++) {
      tags.put(p.get("TagSpecification.1.Tag." + i + ".Key"), p.get("TagSpecification.1.Tag." + i + ".Value"));
    }
    boolean encrypted = Boolean.parseBoolean(p.getOrDefault("Encrypted", "false")) || volume.snapshot.encrypted();
    return "<volumeId>" + volume.id + "</volumeId><size>8</size><snapshotId>" + volume.snapshot.id()
        + "</snapshotId><availabilityZone>" + p.get("AvailabilityZone") + "</availabilityZone><status>" + status
        + "</status><createTime>" + Instant.now() + "</createTime><volumeType>" + p.getOrDefault("VolumeType", "gp2")
        + "</volumeType>" + (p.containsKey("Iops") ? "<iops>" + p.get("Iops") + "</iops>" : "")
        + "<encrypted>" + encrypted + "</encrypted>"
        + (p.containsKey("KmsKeyId") ? "<kmsKeyId>" + p.get("KmsKeyId") + "</kmsKeyId>" : "") + tagSet(tags);
  }

  private static List<String> indexed(Map<String, String> params, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 1; params.containsKey(name + "." + i); i++) {
      values.add(params.get(name + "." + i));
    }
    return values;
  }

  private static String tagSet(Map<String, String> tags) {
    StringBuilder xml = new StringBuilder("<tagSet>");
    tags.forEach((k, v) -> xml.append("<item><key>").append(k).append("</key><value>").append(v).append("</value></item>"));
    return xml.append("</tagSet>").toString();
  }

  private static void ok(HttpExchange exchange, String root, String content) throws IOException {
    send(exchange, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root + " xmlns=\"" + NS + "\"><requestId>"
        + UUID.randomUUID() + "</requestId>" + content + "</" + root + ">");
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    send(exchange, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
        + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>" + UUID.randomUUID()
        + "</RequestID></Response>");
  }

  private static void send(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
