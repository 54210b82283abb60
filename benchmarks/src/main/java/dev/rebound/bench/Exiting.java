package dev.rebound.bench;

/**
 * Runs a benchmark and ends the JVM: the Kubernetes clients' shared Vert.x event loops (and other
 * client libraries' threads) are not daemon threads and outlive every client, so without an
 * explicit exit a benchmark would print its table and never end.
 */
final class Exiting {

  /** A benchmark's body. */
  interface Body {
    void run(String[] args) throws Exception;
  }

  private Exiting() {}

  /** Runs {@code body}, then exits with 0, or 1 after printing what it threw. */
  static void run(Body body, String[] args) {
    int status = 0;
    try {
      body.run(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }
}
