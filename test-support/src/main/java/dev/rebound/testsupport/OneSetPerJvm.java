package dev.rebound.testsupport;

import dev.rebound.servers.LocalServers;

/**
 * The local servers are one set per test JVM only if {@link LocalServers} is loaded once per JVM.
 * Quarkus gives each test application (a test class whose resources or profile differ) its own class
 * loader, and a class it loads there has statics of its own: each application would start another
 * broker, S3 server and API server, all left running until the JVM exits (a status-reporter test JVM
 * once ran six brokers and six S3 servers at once). Each service module therefore loads
 * {@code local-servers} parent first ({@code quarkus.class-loading.parent-first-artifacts}).
 */
final class OneSetPerJvm {
  private OneSetPerJvm() {}

  static void check() {
    ClassLoader loader = LocalServers.class.getClassLoader();
    if (loader.getClass().getName().startsWith("io.quarkus.")) {
      throw new IllegalStateException("local-servers was loaded by a Quarkus application's class loader ("
          + loader + "), so each test application would start servers of its own: set "
          + "quarkus.class-loading.parent-first-artifacts=dev.rebound:local-servers in the module's "
          + "application.properties");
    }
  }
}
