package dev.rebound.statusreporter.restores;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A restore's log as Velero writes it: logrus-style text lines
 * ({@code time="..." level=info msg="..." restore=<ns>/<name>}), with the target cluster named
 * when the restore has more than one.
 *
 * <p>Kept compressed, not as lines: a restore writes two or three lines per item, about 270 bytes,
 * so a million items would hold some 300 MB of strings. Lines gather in a buffer of
 * {@value #CHUNK} characters, which is then compressed into one gzip member; the log file is the
 * members one after the other, which is itself a gzip file (RFC 1952 allows several members, and
 * gunzip, Go's {@code gzip.Reader} that {@code velero restore logs} uses, and Java's
 * {@link GZIPInputStream} read them as one text). The text compresses about twentyfold.
 */
final class RestoreLogLines {

  /** Characters gathered before they are compressed into one member. */
  static final int CHUNK = 64 * 1024;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private final String restore;
  private final ByteArrayOutputStream members = new ByteArrayOutputStream();
  private final StringBuilder pending = new StringBuilder();

  /** @param restore {@code <namespace>/<name>}, as Velero's {@code restore} field */
  RestoreLogLines(String restore) {
    this.restore = restore;
  }

  /** @param cluster the target cluster, written only when {@code clusters > 1} */
  void add(Instant at, String level, String message, String cluster, int clusters) {
    pending.append("time=\"").append(TIME.format(at)).append("\" level=").append(level)
        .append(" msg=").append(quote(message)).append(" restore=").append(restore);
    if (cluster != null && clusters > 1) {
      pending.append(" cluster=").append(cluster);
    }
    pending.append('\n');
    if (pending.length() >= CHUNK) {
      byte[] member = gzip(pending);
      members.write(member, 0, member.length);
      pending.setLength(0);
    }
  }

  /** The log file's content: gzip, as Velero uploads it. */
  byte[] gzip() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(members.size() + pending.length() / 8 + 64);
    out.writeBytes(members.toByteArray());
    if (pending.length() > 0 || members.size() == 0) {
      out.writeBytes(gzip(pending));
    }
    return out.toByteArray();
  }

  /** The log's text. */
  String text() {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("the restore log's own gzip could not be read", e);
    }
  }

  /** Bytes held: the compressed members and the characters not yet compressed. */
  long size() {
    return members.size() + pending.length();
  }

  private static byte[] gzip(CharSequence text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 8 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
