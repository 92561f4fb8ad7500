package app.miosa.gateway.ear;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A Payara Server domain of its own, created in a work directory on ports that were free when it
 * was created. Closing it stops the server and the instances of its node, and deletes the domain
 * and those instances. A JVM shutdown hook does the same if the test run is interrupted.
 */
final class PayaraServerDomain implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PayaraServerDomain.class.getName());

  /** Maximum run time of one asadmin command. create-domain alone took about 30 s in test runs. */
  private static final Duration ASADMIN_TIMEOUT = Duration.ofMinutes(5);

  private static final String DOMAIN_NAME = "gateway-it";

  private final Path payaraHome;
  private final Path domainsDirectory;
  private final Path logDirectory;
  private final Map<String, Integer> ports;
  private final Thread shutdownHook = new Thread(this::stopAndDelete, "payara-domain-cleanup");
  private boolean closed;

  private PayaraServerDomain(
      Path payaraHome, Path domainsDirectory, Path logDirectory, Map<String, Integer> ports) {
    this.payaraHome = payaraHome;
    this.domainsDirectory = domainsDirectory;
    this.logDirectory = logDirectory;
    this.ports = ports;
  }

  /**
   * Creates the domain under {@code workDirectory/domains}, replacing one left by an earlier run,
   * with every port it uses picked free now.
   */
  static PayaraServerDomain create(Path payaraHome, Path workDirectory) {
    Path domainsDirectory = workDirectory.resolve("domains");
    Path logDirectory = workDirectory.resolve("logs");
    PayaraServerDomain domain =
        new PayaraServerDomain(payaraHome, domainsDirectory, logDirectory, pickPorts());
    Runtime.getRuntime().addShutdownHook(domain.shutdownHook);
    try {
      Files.createDirectories(logDirectory);
      domain.deleteLeftover();
      domain.asadmin("create-domain", domain.createDomainArguments());
    } catch (IOException e) {
      domain.close();
      throw new UncheckedIOException("Creating the domain in " + domainsDirectory + " failed", e);
    } catch (RuntimeException e) {
      domain.close();
      throw e;
    }
    return domain;
  }

  /** Starts the server, running {@code preBootCommandFile} before any listener opens. */
  void start(Path preBootCommandFile) {
    asadmin(
        "start-domain",
        List.of(
            "start-domain",
            "--domaindir",
            domainsDirectory.toString(),
            "--prebootcommandfile",
            preBootCommandFile.toString(),
            DOMAIN_NAME));
  }

  String name() {
    return DOMAIN_NAME;
  }

  Path domainsDirectory() {
    return domainsDirectory;
  }

  int adminPort() {
    return ports.get("domain.adminPort");
  }

  /** Base URL of the HTTP listener, without a trailing slash. */
  String httpUrl() {
    return "http://127.0.0.1:" + ports.get("domain.instancePort");
  }

  Path asadminCommand() {
    return payaraHome.resolve("bin/asadmin");
  }

  /** Returns the server's process while it runs, as named by the pid file that Payara writes. */
  Optional<ProcessHandle> serverProcess() {
    return processOf(domainsDirectory.resolve(DOMAIN_NAME));
  }

  /** Returns the process of an instance on this domain's node while it runs. */
  Optional<ProcessHandle> instanceProcess(String instance) {
    return processOf(nodeDirectory().resolve(instance));
  }

  /**
   * Runs a script of {@code server-config/payara-server/} against this domain, with {@code
   * ASADMIN}, {@code ADMIN_PORT}, {@code DOMAIN_NAME} and {@code DOMAIN_DIR} set besides {@code
   * environment}. Its output goes to {@code logs/SCRIPT.log}.
   *
   * @throws IllegalStateException with the end of the output when it fails or times out
   */
  void runScript(
      Path script, List<String> arguments, Map<String, String> environment, Duration timeout) {
    Map<String, String> all = new LinkedHashMap<>(environment);
    all.put("ASADMIN", asadminCommand().toString());
    all.put("ADMIN_PORT", String.valueOf(adminPort()));
    all.put("DOMAIN_NAME", DOMAIN_NAME);
    all.put("DOMAIN_DIR", domainsDirectory.toString());
    List<String> command = new ArrayList<>(List.of("sh", script.toString()));
    command.addAll(arguments);
    String name = script.getFileName().toString().replaceFirst("\\.sh$", "");
    run(command, logDirectory.resolve(name + ".log"), all, timeout);
  }

  /** Returns the directory of the instances on the node that create-domain made for this host. */
  private Path nodeDirectory() {
    return payaraHome.resolve("glassfish/nodes/localhost-" + DOMAIN_NAME);
  }

  private static Optional<ProcessHandle> processOf(Path serverDirectory) {
    Path pidFile = serverDirectory.resolve("config/pid");
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns the servers of this Payara installation other than this domain's, such as a default
   * domain1 that an asadmin command started by mistake.
   */
  List<ProcessHandle> otherServersOfInstallation() {
    Optional<Long> ownPid = serverProcess().map(ProcessHandle::pid);
    String installation = payaraHome.toAbsolutePath().toString();
    return ProcessHandle.allProcesses()
        .filter(process -> ownPid.map(pid -> pid != process.pid()).orElse(true))
        .filter(
            process -> {
              String commandLine = process.info().commandLine().orElse("");
              return commandLine.contains("ASMain") && commandLine.contains(installation);
            })
        .toList();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down, so the hook runs this cleanup itself.
      return;
    }
    stopAndDelete();
  }

  private void stopAndDelete() {
    stopInstances();
    try {
      asadmin(
          "stop-domain",
          List.of("stop-domain", "--domaindir", domainsDirectory.toString(), DOMAIN_NAME));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stop-domain failed; ending the server process instead", e);
    }
    serverProcess().ifPresent(PayaraServerDomain::destroy);
    try {
      deleteLeftover();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Deleting domain " + DOMAIN_NAME + " failed", e);
    }
  }

  /**
   * Ends the instances of this domain's node and deletes their directories, which live in the
   * installation, not in the domain.
   */
  private void stopInstances() {
    Path node = nodeDirectory();
    if (!Files.isDirectory(node)) {
      return;
    }
    try (var instances = Files.list(node)) {
      instances.map(PayaraServerDomain::processOf).flatMap(Optional::stream).forEach(
          PayaraServerDomain::destroy);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Listing the instances in " + node + " failed", e);
    }
    try (var files = Files.walk(node)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Deleting " + node + " failed", e);
    }
  }

  private static void destroy(ProcessHandle server) {
    server.destroy();
    try {
      server.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.destroyForcibly();
    }
  }

  private void deleteLeftover() {
    if (Files.isDirectory(domainsDirectory.resolve(DOMAIN_NAME))) {
      asadmin(
          "delete-domain",
          List.of("delete-domain", "--domaindir", domainsDirectory.toString(), DOMAIN_NAME));
    }
  }

  private List<String> createDomainArguments() {
    String properties =
        ports.entrySet().stream()
            .map(entry -> entry.getKey() + "=" + entry.getValue())
            .collect(Collectors.joining(":"));
    return List.of(
        "create-domain",
        "--nopassword=true",
        "--domaindir",
        domainsDirectory.toString(),
        "--domainproperties",
        properties,
        DOMAIN_NAME);
  }

  /**
   * Runs asadmin, logging its output to {@code logs/asadmin-STEP.log}.
   *
   * @throws IllegalStateException with the output when it fails or times out
   */
  private void asadmin(String step, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(asadminCommand().toString());
    command.addAll(arguments);
    Path log = logDirectory.resolve("asadmin-" + step + ".log");
    run(command, log, Map.of(), ASADMIN_TIMEOUT);
  }

  /**
   * Runs a command with extra environment variables, its output going to {@code log}.
   *
   * @throws IllegalStateException with the end of the output when it fails or times out
   */
  static void run(
      List<String> command, Path log, Map<String, String> environment, Duration timeout) {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            command.get(0) + " timed out after " + timeout + "; output:\n" + tail(log));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command.subList(0, Math.min(2, command.size())))
                + " failed with exit code "
                + process.exitValue()
                + "; output:\n"
                + tail(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Starting " + command.get(0) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command.get(0), e);
    }
  }

  /** Returns the last 40 lines of a log, for failure messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(" + log + " is unreadable: " + e.getMessage() + ")";
    }
  }

  /**
   * Returns a port base for {@code create-instance --portbase}, on which every port that an
   * instance of create-deployment-group.sh listens on is free now, other than {@code usedBases}.
   */
  static int freePortBase(int... usedBases) {
    int[] offsets = {9, 37, 38, 39, 48, 66, 76, 80, 81, 86, 90};
    for (int base = 20000; base < 60000; base += 100) {
      int candidate = base;
      if (Arrays.stream(usedBases).noneMatch(other -> other == candidate)
          && Arrays.stream(offsets).allMatch(offset -> isFree(candidate + offset))) {
        return candidate;
      }
    }
    throw new IllegalStateException("No port base from 20000 to 60000 has its ports free");
  }

  private static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Picks a free loopback port for each listener that create-domain configures. All probe sockets
   * stay open until every port is picked, so no port is picked twice.
   */
  private static Map<String, Integer> pickPorts() {
    List<String> names =
        List.of(
            "domain.adminPort",
            "domain.instancePort",
            "http.ssl.port",
            "orb.listener.port",
            "orb.ssl.port",
            "orb.mutualauth.port",
            "jms.port",
            "domain.jmxPort",
            "osgi.shell.telnet.port",
            "java.debugger.port",
            "hazelcast.das.port",
            "hazelcast.start.port");
    Map<String, Integer> ports = new LinkedHashMap<>();
    List<ServerSocket> probes = new ArrayList<>();
    try {
      for (String name : names) {
        ServerSocket probe = new ServerSocket();
        probes.add(probe);
        probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ports.put(name, probe.getLocalPort());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Finding free ports failed", e);
    } finally {
      probes.forEach(PayaraServerDomain::closeQuietly);
    }
    return ports;
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing depends on closing a probe socket cleanly.
    }
  }
}
