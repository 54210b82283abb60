package dev.rebound.testsupport.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy's listening port: forwards each connection to the HTTP front behind it, or, while
 * refusing, resets it at once (and resets the connections already open when it starts refusing), so a client
 * sees the API server go away as it does when its host or network fails. Counts the resets.
 */
final class TcpGate implements AutoCloseable {

  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong resets = new AtomicLong();
  private volatile boolean refusing;

  TcpGate(int target) throws IOException {
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.target = target;
    Thread acceptor = new Thread(this::accept, "fault-proxy-gate-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  long resets() {
    return resets.get();
  }

  /** Refusing: every connection, open or new, is reset. */
  void refuse(boolean refusing) {
    this.refusing = refusing;
    if (refusing) {
      open.forEach(TcpGate::reset);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return; // the gate was closed for good
      }
      if (refusing) {
        resets.incrementAndGet();
        reset(in);
        continue;
      }
      try {
        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(in);
        open.add(out);
        pipe(in, out);
        pipe(out, in);
      } catch (IOException e) {
        reset(in);
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // one side went away
      } finally {
        open.remove(from);
        open.remove(to);
        try {
          to.close();
        } catch (IOException e) {
          // closed already
        }
      }
    }, "fault-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  /** An abortive close: the peer gets a TCP reset, not an orderly end. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(TcpGate::reset);
  }
}
