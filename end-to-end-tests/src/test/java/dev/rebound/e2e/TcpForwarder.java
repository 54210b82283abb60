package dev.rebound.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Listens on a loopback port and forwards every connection to {@code host:port}: a server "coming up" there. */
final class TcpForwarder implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private TcpForwarder(ServerSocket server, String target) {
    this.server = server;
    String host = target.substring(0, target.lastIndexOf(':'));
    int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket in = server.accept();
          Socket out = new Socket(host, port);
          sockets.add(in);
          sockets.add(out);
          pipe(in, out);
          pipe(out, in);
        } catch (IOException e) {
          // closed
        }
      }
    }, "forwarder-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static TcpForwarder start(int port, String target) throws IOException {
    return new TcpForwarder(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()), target);
  }

  private static void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // either side closed
      } finally {
        try {
          to.shutdownOutput();
        } catch (IOException e) {
          // already closed
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
