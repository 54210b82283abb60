package dev.rebound.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * The PIDs handed out are the guard, the server and the server's children: each stays alive as
   * long as the server runs. The guard's own one-second sleep, which comes and goes, is not one.
   */
  @Test
  void thePidsStayAliveWhileTheServerRunsAndAreGoneOnceItIsClosed(@TempDir Path dir) throws Exception {
    // A "server" with a child of its own, so that the server's descendants are seen too.
    List<String> server = List.of("/bin/sh", "-c", "sleep 60 & wait");
    try (ManagedProcess process = ManagedProcess.start("pids", server, dir, dir.resolve("pids.log"), Map.of())) {
      Thread.sleep(300);
      for (int round = 0; round < 3; round++) {
        List<Long> pids = process.pids();
        assertEquals(3, pids.size(), "the guard, the server's shell and its sleep 60: " + pids);
        // Longer than the guard's sleep: a listed PID of it would be gone by now.
        Thread.sleep(1_200);
        for (long pid : pids) {
          assertTrue(alive(pid), "pid " + pid + " of " + pids + " still runs");
        }
      }
      List<Long> pids = process.pids();
      process.close();
      for (long pid : pids) {
        assertFalse(alive(pid), "pid " + pid + " left behind");
      }
      assertTrue(Files.exists(dir.resolve("pids.log")));
    }
  }
}
