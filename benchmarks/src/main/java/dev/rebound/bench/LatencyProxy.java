package dev.rebound.bench;

import dev.rebound.servers.KubeCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of a {@link KubeCluster}'s API server that delays what clients send by a
 * fixed time, as a target cluster far away would: every chunk a client sends is forwarded to the
 * API server {@code delay} after it arrived (each chunk on its own schedule, so a stream of chunks
 * is not delayed more than once; order kept per connection), answers come back at once. TLS passes
 * through untouched: the API server's certificate names 127.0.0.1, so {@link #kubeconfig} (the
 * proxy's address, the cluster's CA and admin token) works as the cluster's own does.
 *
 * <p>Threads per connection: one reading the client into a FIFO of (due time, bytes), one writing
 * each chunk to the API server when due, one copying answers back. All are daemon threads.
 * {@link #down()} makes the cluster unreachable: open connections are closed and new ones reset.
 */
final class LatencyProxy implements AutoCloseable {

  private static final int BUFFER = 64 * 1024;
  private static final AtomicInteger IDS = new AtomicInteger();

  private final KubeCluster cluster;
  private final InetSocketAddress target;
  private final long delayNanos;
  private final ServerSocket listener;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean down;
  private volatile boolean closed;

  private LatencyProxy(KubeCluster cluster, Duration delay) throws IOException {
    this.cluster = cluster;
    URI server = URI.create(cluster.apiServerUrl());
    this.target = new InetSocketAddress(InetAddress.getByName(server.getHost()), server.getPort());
    this.delayNanos = delay.toNanos();
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
  }

  /** Starts a proxy on a free loopback port in front of the cluster's API server. */
  static LatencyProxy start(KubeCluster cluster, Duration delay) throws IOException {
    LatencyProxy proxy = new LatencyProxy(cluster, delay);
    daemon("latency-proxy-accept-" + proxy.port(), proxy::acceptLoop).start();
    return proxy;
  }

  int port() {
    return listener.getLocalPort();
  }

  String url() {
    return "https://127.0.0.1:" + port();
  }

  /** Connections accepted so far (those reset while down included). */
  int accepted() {
    return accepted.get();
  }

  /** Writes a kubeconfig for the cluster's admin with the proxy as the server. */
  Path kubeconfig(Path file) throws IOException {
    return cluster.adminKubeconfigVia(file, url());
  }

  /** The cluster becomes unreachable: every open connection is closed, every new one reset. */
  void down() {
    down = true;
    open.forEach(Connection::close);
  }

  @Override
  public void close() {
    closed = true;
    down = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(Connection::close);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      if (down) {
        reset(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.setTcpNoDelay(true);
        server.connect(target, 5_000);
        client.setTcpNoDelay(true);
        Connection c = new Connection(client, server, IDS.incrementAndGet());
        open.add(c);
        if (down) { // went down meanwhile: the closing loop may have missed this one
          c.close();
          continue;
        }
        c.start();
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  /** Closes a socket with SO_LINGER 0: the peer sees a reset, not an orderly end. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // closing anyway
    }
    quietly(socket);
  }

  private static void quietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** A chunk a client sent and when it is due at the API server; {@code bytes == null} is the client's end. */
  private record Chunk(long dueNanos, byte[] bytes) {}

  /** One client's connection and the one it got to the API server. */
  private final class Connection {
    private final Socket client;
    private final Socket server;
    private final int id;
    private final BlockingQueue<Chunk> pending = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    Connection(Socket client, Socket server, int id) {
      this.client = client;
      this.server = server;
      this.id = id;
    }

    void start() {
      daemon("latency-proxy-" + id + "-read", this::readClient).start();
      daemon("latency-proxy-" + id + "-write", this::writeServer).start();
      daemon("latency-proxy-" + id + "-answer", this::copyAnswers).start();
    }

    /** Reads what the client sends; each chunk is due {@code delay} after it arrived. */
    private void readClient() {
      byte[] buffer = new byte[BUFFER];
      try {
        InputStream in = client.getInputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long arrived = System.nanoTime();
          pending.add(new Chunk(arrived + delayNanos, Arrays.copyOf(buffer, n)));
        }
        pending.add(new Chunk(System.nanoTime() + delayNanos, null));
      } catch (IOException e) {
        close();
      }
    }

    /** Writes each chunk to the API server when it is due, in arrival order. */
    private void writeServer() {
      try {
        OutputStream out = server.getOutputStream();
        while (!ended) {
          Chunk chunk = pending.take();
          if (ended) {
            return;
          }
          long wait;
          while ((wait = chunk.dueNanos() - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (ended) {
              return;
            }
          }
          if (chunk.bytes() == null) {
            server.shutdownOutput(); // the client is done sending; the answers may still come
            return;
          }
          out.write(chunk.bytes());
          out.flush();
        }
      } catch (IOException e) {
        close();
      } catch (InterruptedException e) {
        close();
      }
    }

    /** Copies the API server's answers back at once; its end ends the connection. */
    private void copyAnswers() {
      byte[] buffer = new byte[BUFFER];
      try {
        InputStream in = server.getInputStream();
        OutputStream out = client.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // either side went away
      }
      close();
    }

    void close() {
      ended = true;
      open.remove(this);
      if (down) {
        reset(client);
      } else {
        quietly(client);
      }
      quietly(server);
      pending.add(new Chunk(0, null)); // wakes the writer
    }
  }
}
