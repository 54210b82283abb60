package dev.rebound.servers;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one test node a machine can have ({@link KubeNode}): an exclusive lock on a file that names
 * its holder. The kernel drops the lock when the holding process dies, however it dies.
 */
final class MachineLock implements AutoCloseable {

  static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "rebound-node.lock");

  private final FileChannel channel;
  private final FileLock lock;

  private MachineLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static MachineLock acquire() throws IOException {
    FileChannel channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
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
