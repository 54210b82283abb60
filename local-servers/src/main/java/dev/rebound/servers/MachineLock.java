package dev.rebound.servers;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The one test node a machine can have ({@link KubeNode}): an exclusive lock on a file that names
 * its holder. The kernel drops the lock when the holding process dies, however it dies.
 *
 * <p>By default a second taker fails at once, naming the holder (a user's local stack, say). Test
 * JVMs forked side by side wait their turn instead: {@value #WAIT_PROPERTY} is how many seconds
 * they wait for the holder to let go.
 */
final class MachineLock implements AutoCloseable {

  static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "rebound-node.lock");
  static final String WAIT_PROPERTY = "rebound.node.lock-wait-seconds";

  private final FileChannel channel;
  private final FileLock lock;

  private MachineLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static MachineLock acquire() throws IOException {
    FileChannel channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong(WAIT_PROPERTY, 0));
    FileLock lock = channel.tryLock();
    while (lock == null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.close();
        throw new IOException("interrupted while waiting for the test node", e);
      }
      lock = channel.tryLock();
    }
    if (lock == null) {
      String holder = Files.readString(FILE, StandardCharsets.UTF_8).strip();
      channel.close();
      throw new IOException("a test node already runs on this machine (" + holder + "); a 1.20 kubelet uses "
          + "fixed ports and paths, so there can be only one: stop it first (./rebound down for the local stack)");
    }
    channel.truncate(0);
    channel.write(java.nio.ByteBuffer.wrap(("process " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
    return new MachineLock(channel, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock; the process exit would too.
    }
  }
}
