package dev.rebound.bench;

import dev.rebound.servers.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Samples processes every second on its own thread, keeping each one's peaks: for a Rebound service the
 * heap from its Micrometer metrics ({@code /q/metrics}: heap used summed over the pools, heap max, live
 * data after the last GC, GC pause time) and, for every process, its resident set from
 * {@code /proc/<pid>/status} (the larger of the sampled {@code VmRSS} and the kernel's high-water mark
 * {@code VmHWM}). A scrape that takes long is a service busy in GC, so the slowest is kept too.
 */
final class ScaleSampler implements AutoCloseable {

  /** What was seen of one process so far. */
  static final class Peaks {
    final String label;
    final ManagedProcess process;
    final String metricsUrl;
    volatile long heapUsed;
    volatile long peakHeapUsed;
    volatile long heapMax;
    volatile long peakLiveData;
    volatile long rss;
    volatile long peakRss;
    volatile double firstGcSeconds = -1;
    volatile double gcSeconds;
    volatile long firstGcCount = -1;
    volatile long gcCount;
    volatile long slowestScrapeMillis;
    volatile int failedScrapes;
    volatile int scrapes;

    Peaks(String label, ManagedProcess process, String metricsUrl) {
      this.label = label;
      this.process = process;
      this.metricsUrl = metricsUrl;
    }

    boolean isService() {
      return metricsUrl != null;
    }

    /** GC pause seconds and pauses since the first scrape. */
    double gcSecondsSinceStart() {
      return firstGcSeconds < 0 ? 0 : gcSeconds - firstGcSeconds;
    }

    long gcCountSinceStart() {
      return firstGcCount < 0 ? 0 : gcCount - firstGcCount;
    }
  }

  private final List<Peaks> targets = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile boolean stopped;
  private Thread thread;

  /** A Rebound service: heap from its metrics, RSS from /proc. */
  ScaleSampler service(String label, ManagedProcess process, String baseUrl) {
    targets.add(new Peaks(label, process, baseUrl + "/q/metrics"));
    return this;
  }

  /** Any other process: RSS only. */
  ScaleSampler process(String label, ManagedProcess process) {
    targets.add(new Peaks(label, process, null));
    return this;
  }

  List<Peaks> peaks() {
    return List.copyOf(targets);
  }

  ScaleSampler start() {
    thread = new Thread(() -> {
      while (!stopped) {
        long began = System.nanoTime();
        sampleOnce();
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        try {
          Thread.sleep(Math.max(100, 1000 - tookMillis));
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "scale-sampler");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** One sample of every process; called by the sampling thread. */
  void sampleOnce() {
    for (Peaks p : targets) {
      rss(p);
      if (p.isService()) {
        scrape(p);
      }
    }
  }

  private void rss(Peaks p) {
    // The server is the guard shell's largest descendant (the guard also runs short "sleep 1" children).
    long best = -1;
    long bestRss = -1;
    long bestHwm = 0;
    List<Long> pids = p.process.pids();
    for (Long pid : pids.subList(Math.min(1, pids.size()), pids.size())) {
      long[] status = status(pid);
      if (status[0] > bestRss) {
        best = pid;
        bestRss = status[0];
        bestHwm = status[1];
      }
    }
    if (best < 0) {
      return;
    }
    p.rss = bestRss;
    p.peakRss = Math.max(p.peakRss, Math.max(bestRss, bestHwm));
  }

  /** {@code VmRSS} and {@code VmHWM} in bytes; -1 when the process is gone. */
  static long[] status(long pid) {
    long[] out = {-1, 0};
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          out[0] = kilobytes(line) * 1024;
        } else if (line.startsWith("VmHWM:")) {
          out[1] = kilobytes(line) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, 0};
    }
    return out;
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  private void scrape(Peaks p) {
    long began = System.nanoTime();
    String body;
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(p.metricsUrl))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        p.failedScrapes++;
        return;
      }
      body = response.body();
    } catch (IOException e) {
      p.failedScrapes++;
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    p.scrapes++;
    p.slowestScrapeMillis = Math.max(p.slowestScrapeMillis, (System.nanoTime() - began) / 1_000_000);
    long used = 0;
    long max = 0;
    double gcSeconds = 0;
    long gcCount = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      boolean heap = line.contains("area=\"heap\"");
      if (heap && line.startsWith("jvm_memory_used_bytes{")) {
        used += (long) value(line);
      } else if (heap && line.startsWith("jvm_memory_max_bytes{")) {
        max += Math.max(0, (long) value(line));
      } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
        p.peakLiveData = Math.max(p.peakLiveData, (long) value(line));
      } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
        gcSeconds += value(line);
      } else if (line.startsWith("jvm_gc_pause_seconds_count{")) {
        gcCount += (long) value(line);
      }
    }
    p.heapUsed = used;
    p.peakHeapUsed = Math.max(p.peakHeapUsed, used);
    p.heapMax = Math.max(p.heapMax, max);
    if (p.firstGcSeconds < 0) {
      p.firstGcSeconds = gcSeconds;
      p.firstGcCount = gcCount;
    }
    p.gcSeconds = gcSeconds;
    p.gcCount = gcCount;
  }

  private static double value(String line) {
    try {
      return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Heap used and RSS of every service now, in MB, for a progress line. */
  String now() {
    StringBuilder out = new StringBuilder();
    for (Peaks p : targets) {
      out.append(out.length() == 0 ? "" : "; ").append(p.label).append(' ');
      if (p.isService()) {
        out.append(mb(p.heapUsed)).append('/');
      }
      out.append(mb(p.rss));
    }
    return out.append(" MB (heap/RSS)").toString();
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%,d", bytes >> 20);
  }

  /**
   * The coordinator's log lines about one restore, read as the log grows: when its plan was recorded on
   * {@code rebound.restore-plans} and how many tasks each wave published on {@code rebound.restore-items}.
   */
  static final class CoordinatorLog {
    private static final java.util.regex.Pattern PUBLISHED = java.util.regex.Pattern.compile("published, (\\d+) items");
    private final Path file;
    private final String prefix;
    private long position;
    private String partial = "";
    private String planLine;
    private final StringBuilder publishLines = new StringBuilder();
    private long publishedItems;

    CoordinatorLog(Path file, String restore) {
      this.file = file;
      this.prefix = "restore " + restore + ", cluster ";
    }

    void read() throws IOException {
      try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(file.toFile(), "r")) {
        if (in.length() <= position) {
          return;
        }
        byte[] added = new byte[(int) Math.min(in.length() - position, 16 << 20)];
        in.seek(position);
        in.readFully(added);
        position += added.length;
        String text = partial + new String(added, java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = text.lastIndexOf('\n');
        partial = text.substring(end + 1);
        for (String line : text.substring(0, end + 1).split("\n")) {
          if (!line.contains(prefix)) {
            continue;
          }
          if (line.contains("plan recorded") && planLine == null) {
            planLine = line.strip();
          }
          java.util.regex.Matcher m = PUBLISHED.matcher(line);
          if (m.find()) {
            publishedItems += Long.parseLong(m.group(1));
            publishLines.append("  ").append(line.strip()).append('\n');
          }
        }
      }
    }

    String planLine() {
      return planLine;
    }

    long publishedItems() {
      return publishedItems;
    }

    String publishLines() {
      return publishLines.toString();
    }
  }

  @Override
  public void close() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
