package dev.rebound.servers;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;

/**
 * The host's address on Docker's default bridge ({@code docker0}, usually 172.17.0.1): the address
 * containers and pods reach this machine's servers at, since their 127.0.0.1 is their own
 * (ENVIRONMENT.md, "Addresses"). Empty when no Docker daemon has made the bridge.
 */
public final class HostBridge {

  public static final String INTERFACE = "docker0";

  private HostBridge() {}

  public static Optional<String> address() {
    try {
      NetworkInterface bridge = NetworkInterface.getByName(INTERFACE);
      if (bridge == null) {
        return Optional.empty();
      }
      return bridge.inetAddresses().filter(a -> a instanceof Inet4Address).map(a -> a.getHostAddress()).findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  /** The address, or an error that says how to get one. */
  public static String require(String forWhat) {
    return address().orElseThrow(() -> new IllegalStateException(
        "no " + INTERFACE + " bridge on this machine, so " + forWhat + " cannot reach the host's servers: "
            + "start the Docker daemon first (./rebound and ./rebound test start one)"));
  }
}
