package dev.rebound.statusreporter.restores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore log kept as gzip members: the same text back, a file gunzip reads whole, a fraction of the size. */
class RestoreLogLinesTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void manyChunksReadBackAsOneTextByJavaAndByGunzip(@TempDir Path dir) throws Exception {
    RestoreLogLines log = new RestoreLogLines("velero/big");
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      String message = "Restored " + i + " items out of an estimated total of 20000 (estimate will change throughout "
          + "the restore) \"quoted\"";
      log.add(T0.plusMillis(i), "info", message, "east", 2);
      expected.append("time=\"").append(T0.plusMillis(i)).append("\" level=info msg=\"")
          .append(message.replace("\"", "\\\"")).append("\" restore=velero/big cluster=east\n");
    }
    assertTrue(expected.length() > 20 * RestoreLogLines.CHUNK, "several members");
    assertEquals(expected.toString(), log.text());
    assertTrue(log.size() * 10 < expected.length(), "held " + log.size() + " bytes for " + expected.length());

    Path file = dir.resolve("restore-big-logs.gz");
    Files.write(file, log.gzip());
    Process gunzip = new ProcessBuilder("gzip", "-dc", file.toString()).redirectErrorStream(true).start();
    String read = new String(gunzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, gunzip.waitFor());
    assertEquals(expected.toString(), read);
  }

  @Test
  void anEmptyLogIsAnEmptyGzipFile() throws Exception {
    RestoreLogLines log = new RestoreLogLines("velero/none");
    assertEquals("", log.text());
    assertEquals(0x1f, log.gzip()[0] & 0xff);
    log.add(T0, "info", "one line", "default", 1);
    assertEquals("time=\"2026-12-06T10:00:00Z\" level=info msg=\"one line\" restore=velero/none\n", log.text());
  }
}
