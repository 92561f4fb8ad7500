package app.miosa.gateway.benchmark;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.PostgresSchema;
import app.miosa.gateway.testing.ScriptedGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Measures the gateway side by side with websockify, socat and direct TCP on loopback, and writes
 * one Markdown report to standard output and, for a full run, to {@code RESULTS.md}. Progress
 * goes to standard error.
 *
 * <p>Run by {@code server-config/benchmark.sh} from the benchmark module's directory, because
 * {@link ScriptedGateway} starts {@code ../server-config/run-gateway.sh}. Everything it starts is
 * stopped at the end, on failure and on Ctrl-C.
 */
public final class Benchmark {
  private static final Path WORK = Path.of("target", "benchmark-run");
  private static final Path RESULTS = Path.of("RESULTS.md");

  /** Computer of the request-mode fake VNC server. */
  private static final String COMPUTER = "cmp_bench";

  /** Computer of the paced fake VNC server. */
  private static final String PACED_COMPUTER = "cmp_paced";

  /** Computer whose tickets the minting run issues, so that its audit records can be counted. */
  private static final String MINTING_COMPUTER = "cmp_mint";

  /** Computer whose tickets the warm-up issues, apart from those the minting run counts. */
  private static final String WARM_UP_COMPUTER = "cmp_warm";

  private static final String TENANT = "bench";

  /** Methods listed per part of a --profile summary. */
  private static final int PROFILE_METHODS = 25;
  private static final double VIEWER_TARGET_P99_MILLIS = 50;
  private static final int VIEWER_TARGET = 1000;
  private static final double MINTING_TARGET_PER_SECOND = 2000;

  private final Options options;
  private final String command;
  private final Report report = new Report();

  /** The --profile summaries, appended to the results. */
  private final StringBuilder profiles = new StringBuilder();

  /** Resources this run started, closed in reverse order. */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private Benchmark(Options options, String command) {
    this.options = options;
    this.command = command;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Benchmark benchmark =
        new Benchmark(options, "server-config/benchmark.sh " + String.join(" ", args));
    Runtime.getRuntime().addShutdownHook(new Thread(benchmark::stopAll, "benchmark-stop"));
    int status = 0;
    try {
      benchmark.run();
    } catch (Exception e) {
      System.err.println("The benchmark failed: " + e);
      e.printStackTrace();
      status = 1;
    } finally {
      benchmark.stopAll();
    }
    System.exit(status);
  }

  private void run() throws Exception {
    long start = System.nanoTime();
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    describeMachine();

    FakeVncServer server = track(FakeVncServer.onRequest());
    FakeVncServer paced =
        track(
            FakeVncServer.paced(
                PacedViewers.INTERVAL_MILLIS, PacedViewers.WIDTH, PacedViewers.HEIGHT));
    RelayProcess socat = track(RelayProcess.socat(server.port(), WORK));
    RelayProcess websockify = track(RelayProcess.websockify(server.port(), WORK));
    progress("Fake VNC server on port %d, socat on %d, websockify on %d",
        server.port(), socat.port(), websockify.port());

    ApiTokens tokens = ApiTokens.generate();
    String apiToken = tokens.token("key_bench", TENANT, ApiTokens.ALL_ROLES, Duration.ofHours(6));
    ScriptedGateway gateway = startGateway("h2", tokens, Map.of());
    GatewayJvm jvm = GatewayJvm.find(gateway.port());
    GatewayClient api = new GatewayClient(gateway.url());
    register(api, apiToken, COMPUTER, server.vncUrl());
    register(api, apiToken, PACED_COMPUTER, paced.vncUrl());
    register(api, apiToken, MINTING_COMPUTER, server.vncUrl());
    register(api, apiToken, WARM_UP_COMPUTER, server.vncUrl());
    report.addDetail("Gateway: Payara Micro JVM pid " + jvm.pid() + ", started by"
        + " server-config/run-gateway.sh with the embedded H2 database and default JVM options;"
        + " its CPU time is that process's, all threads included.");

    double idleCpuBefore = jvm.cpuSeconds();
    Thread.sleep(3000);
    report.addDetail("Gateway CPU right after start-up with no request in flight (the profiles show the JIT"
        + " compiler): "
        + Report.number((jvm.cpuSeconds() - idleCpuBefore) / 3 * 100) + "% of one core over 3 s.");

    Route gatewayRoute = gatewayRoute(gateway.port(), COMPUTER, mint(api, apiToken, COMPUTER), jvm);
    warmUpGateway(gatewayRoute, api.base(), apiToken);
    List<Route> routes =
        List.of(
            new Route(
                Report.DIRECT, null, () -> RfbClient.handshake(TcpTransport.connect(server.port()))),
            new Route(
                Report.SOCAT,
                () -> ProcessCpu.treeSeconds(socat.pid()),
                () -> RfbClient.handshake(TcpTransport.connect(socat.port()))),
            new Route(
                Report.WEBSOCKIFY,
                () -> ProcessCpu.treeSeconds(websockify.pid()),
                () -> RfbClient.handshake(WebSocketTransport.connect(websockify.port(), "/"))),
            gatewayRoute);

    if (options.runs(Options.Section.THROUGHPUT)) {
      measureThroughput(routes, 1);
      measureThroughput(routes, options.manyStreams);
    }
    if (options.runs(Options.Section.ROUND_TRIP)) {
      measureRoundTrips(routes, 1);
      measureRoundTrips(routes, options.manyStreams);
    }
    if (options.runs(Options.Section.CONNECT)) {
      measureConnects(routes, api, apiToken, gateway.port());
    }
    if (options.runs(Options.Section.MEMORY)) {
      measureIdleMemory(gatewayRoute, jvm);
    }
    if (options.runs(Options.Section.VIEWERS)) {
      Route pacedGateway =
          gatewayRoute(gateway.port(), PACED_COMPUTER, mint(api, apiToken, PACED_COMPUTER), jvm);
      Route pacedDirect =
          new Route(
              Report.DIRECT, null, () -> RfbClient.handshake(TcpTransport.connect(paced.port())));
      measurePacedViewers(pacedGateway, pacedDirect, paced);
    }
    if (options.runs(Options.Section.MINTING)) {
      measureMinting("H2", api.base(), apiToken);
    }
    stopGateway(gateway, "h2");

    if (options.runs(Options.Section.MINTING)) {
      if (options.postgres) {
        measureMintingOnPostgres(tokens, apiToken, server.vncUrl());
      } else {
        report.set(mintingRow("PostgreSQL"), Report.GATEWAY, "skipped (--no-postgres)");
      }
    }

    report.addDetail(String.format(
        "The run took %.0f s; load average at its end: %s.",
        (System.nanoTime() - start) / 1e9, loadAverage()));
    String markdown = report.toMarkdown() + profiles;
    System.out.print(markdown);
    // Only a full run replaces the committed results; a partial one is not comparable with them.
    Path results = options.isFullRun() ? RESULTS : WORK.resolve(RESULTS.getFileName());
    Files.writeString(results, markdown);
    progress("Written to %s", results.toAbsolutePath());
  }

  /**
   * Runs the gateway's stream and minting paths before any measure, so that they are measured
   * compiled, as in a server that has been running for a while, not while the JIT compiler is
   * still at work on Payara's start-up.
   */
  private void warmUpGateway(Route gatewayRoute, URI api, String apiToken) throws Exception {
    long seconds = options.gatewayWarmUp.toSeconds();
    progress("Warming up the gateway: streams, round trips and minting, %d s each", seconds);
    Throughput.measure(gatewayRoute, 8, Duration.ZERO, options.gatewayWarmUp);
    RoundTrip.measure(gatewayRoute, 50, Duration.ZERO, options.gatewayWarmUp);
    Minting.measure(
        api, apiToken, WARM_UP_COMPUTER, options.mintingClients, Duration.ZERO,
        options.gatewayWarmUp);
    report.addDetail("Gateway warm-up before the measures: " + seconds + " s each of 8 streams"
        + " at full speed, round trips on 50 streams and minting, so that the measures see code"
        + " the JIT compiler has finished with.");
  }

  private void measureThroughput(List<Route> routes, int streams) throws InterruptedException {
    String label = streams == 1 ? "1 stream" : streams + " streams";
    String throughputRow = "Throughput, " + label + " (MB/s)";
    String cpuRow = "Relay CPU, " + label + " (CPU s per GB)";
    Throughput.Result socat = null;
    Throughput.Result gateway = null;
    for (Route route : routes) {
      try {
        Throughput.Result result =
            Throughput.measure(route, streams, options.warmUp, options.throughputWindow);
        progress("Throughput, %s, %s: %s MB/s, relay CPU %s%% of one core, benchmark JVM"
                + " CPU %s%%", label, route.name(), Report.number(result.megabytesPerSecond()),
            Report.number(result.relayCpuPercent()), Report.number(result.clientCpuPercent()));
        report.set(throughputRow, route.name(), Report.number(result.megabytesPerSecond())
            + failureMark(result.failures()));
        report.set(cpuRow, route.name(), route.hasRelay()
            ? Report.number(result.relayCpuSecondsPerGigabyte()) : "n/a (no relay)");
        report.addDetail(String.format(
            "Throughput, %s, %s: relay CPU %s of one core, benchmark JVM (viewers and fake"
                + " server) %s%%%s.",
            label, route.name(),
            route.hasRelay() ? Report.number(result.relayCpuPercent()) + "%" : "n/a",
            Report.number(result.clientCpuPercent()),
            result.failures() == 0 ? "" : "; " + result.failures() + " viewers failed, first: "
                + result.firstFailure()));
        if (route.name().equals(Report.SOCAT)) {
          socat = result;
        } else if (route.name().equals(Report.GATEWAY)) {
          gateway = result;
        }
      } catch (IOException | RuntimeException e) {
        failed(throughputRow, route, e);
      }
      Thread.sleep(1000);
    }
    if (socat != null && gateway != null) {
      if (streams == 1) {
        double ratio = gateway.megabytesPerSecond() / socat.megabytesPerSecond();
        report.setTarget(throughputRow, "≥ socat",
            Report.ratio(gateway.megabytesPerSecond(), socat.megabytesPerSecond()) + " socat, "
                + Report.metOrNot(ratio >= 1));
      } else {
        double ratio = gateway.relayCpuSecondsPerGigabyte() / socat.relayCpuSecondsPerGigabyte();
        report.setTarget(cpuRow, "≤ socat" + quickNote(streams),
            Report.ratio(gateway.relayCpuSecondsPerGigabyte(),
                socat.relayCpuSecondsPerGigabyte()) + " socat, " + Report.metOrNot(ratio <= 1));
      }
    }
  }

  private void measureRoundTrips(List<Route> routes, int streams) throws InterruptedException {
    String label = streams == 1 ? "1 stream" : streams + " streams";
    String row = "Round trip, " + label + ", p50 / p99 (ms)";
    RoundTrip.Result socat = null;
    RoundTrip.Result gateway = null;
    for (Route route : routes) {
      try {
        RoundTrip.Result result =
            RoundTrip.measure(route, streams, Duration.ofSeconds(1), options.roundTripWindow);
        progress("Round trip, %s, %s: p50 %s ms, p99 %s ms, %s round trips/s", label,
            route.name(), Report.number(result.p50Millis()), Report.number(result.p99Millis()),
            Report.number(result.roundTripsPerSecond()));
        report.set(row, route.name(), Report.number(result.p50Millis()) + " / "
            + Report.number(result.p99Millis()) + failureMark(result.failures()));
        report.addDetail(String.format(
            "Round trip, %s, %s: %s round trips per second in all%s.", label, route.name(),
            Report.number(result.roundTripsPerSecond()),
            result.failures() == 0 ? "" : "; " + result.failures() + " viewers failed, first: "
                + result.firstFailure()));
        if (route.name().equals(Report.SOCAT)) {
          socat = result;
        } else if (route.name().equals(Report.GATEWAY)) {
          gateway = result;
        }
      } catch (IOException | RuntimeException e) {
        failed(row, route, e);
      }
      Thread.sleep(1000);
    }
    if (streams > 1 && socat != null && gateway != null) {
      report.setTarget(row, "p99 ≤ socat" + quickNote(streams),
          Report.ratio(gateway.p99Millis(), socat.p99Millis()) + " socat, "
              + Report.metOrNot(gateway.p99Millis() <= socat.p99Millis()));
    }
  }

  private void measureConnects(List<Route> routes, GatewayClient api, String apiToken, int port) {
    String row = "Connect to first update, median (ms)";
    ConnectTime.Result websockify = null;
    ConnectTime.Result gateway = null;
    for (Route route : routes) {
      Callable<Route.Connector> prepare =
          route.name().equals(Report.GATEWAY)
              ? () -> gatewayConnector(port, COMPUTER, mint(api, apiToken, COMPUTER))
              : route::connector;
      try {
        ConnectTime.Result result = ConnectTime.measure(prepare, 5, options.connects);
        progress("Connect, %s: median %s ms, p90 %s ms", route.name(),
            Report.number(result.medianMillis()), Report.number(result.p90Millis()));
        report.set(row, route.name(), Report.number(result.medianMillis()));
        report.addDetail(String.format("Connect, %s: p90 %s ms over %d connects.", route.name(),
            Report.number(result.p90Millis()), result.connects()));
        if (route.name().equals(Report.WEBSOCKIFY)) {
          websockify = result;
        } else if (route.name().equals(Report.GATEWAY)) {
          gateway = result;
        }
      } catch (Exception e) {
        failed(row, route, e);
      }
    }
    if (websockify != null && gateway != null) {
      report.setTarget(row, "≤ 0.5× websockify",
          Report.ratio(gateway.medianMillis(), websockify.medianMillis()) + " websockify, "
              + Report.metOrNot(gateway.medianMillis() <= websockify.medianMillis() / 2));
    }
  }

  private void measureIdleMemory(Route gatewayRoute, GatewayJvm jvm) {
    String heapRow = "Gateway heap per idle stream (KiB)";
    String directRow = "Gateway direct buffers per idle stream (KiB)";
    try {
      IdleStreams.Result result =
          IdleStreams.measure(gatewayRoute, jvm, options.idleStreams, Duration.ofSeconds(3));
      progress("Idle streams: %s KiB heap, %s KiB direct buffers and %s threads each over %d"
              + " streams", Report.number(result.heapBytesPerStream() / 1024),
          Report.number(result.directBytesPerStream() / 1024),
          Report.number(result.threadsPerStream()), result.streams());
      report.set(heapRow, Report.GATEWAY, Report.number(result.heapBytesPerStream() / 1024));
      report.set(directRow, Report.GATEWAY,
          Report.number(result.directBytesPerStream() / 1024));
      report.addDetail(String.format(
          "Idle streams: %d streams with the handshake done and no update requested. Heap is"
              + " the used heap after `jcmd PID GC.run`, read from `jcmd PID GC.heap_info`."
              + " Direct buffers and threads are read through JMX (BufferPool direct,"
              + " ThreadMXBean): %s live threads per stream.",
          result.streams(), Report.number(result.threadsPerStream())));
    } catch (Exception e) {
      failed(heapRow, gatewayRoute, e);
    }
    for (String route : List.of(Report.WEBSOCKIFY, Report.SOCAT, Report.DIRECT)) {
      report.set(heapRow, route, "n/a");
      report.set(directRow, route, "n/a");
    }
  }

  private void measurePacedViewers(Route gateway, Route direct, FakeVncServer paced)
      throws InterruptedException {
    String row = "Paced viewers at 1 Mbit/s with p99 delay < 50 ms";
    PacedViewers.Result result =
        PacedViewers.ramp(
            gateway,
            options.viewerSteps,
            options.viewerSettle,
            options.viewerWindow,
            options.viewerTimeLimit,
            VIEWER_TARGET_P99_MILLIS);
    int tried = result.steps().isEmpty() ? 0 : result.steps().get(result.steps().size() - 1)
        .viewers();
    report.set(row, Report.GATEWAY, result.maxPassing() + " (of " + tried + " tried)");
    report.setTarget(row, "1,000 viewers",
        result.maxPassing() + ", " + Report.metOrNot(result.maxPassing() >= VIEWER_TARGET));
    for (PacedViewers.Step step : result.steps()) {
      report.addDetail(String.format(
          "Paced viewers through the gateway, %d: delay p50 %s ms, p99 %s ms, %s%% of updates"
              + " received, gateway CPU %s%% of one core%s.",
          step.viewers(), Report.number(step.p50Millis()), Report.number(step.p99Millis()),
          Report.number(step.deliveredPercent()), Report.number(step.relayCpuPercent()),
          step.failures() == 0 ? "" : ", " + step.failures() + " viewers failed"));
    }
    if (result.stopReason() != null) {
      report.addDetail("Paced viewers: the ramp stopped because " + result.stopReason() + ".");
    }
    report.addDetail("Paced viewers: " + paced.skippedUpdates() + " updates were not made"
        + " because a connection had " + FakeVncServer.MAX_PACED_BACKLOG + " unsent ones.");
    report.set(row, Report.WEBSOCKIFY, "n/a");
    report.set(row, Report.SOCAT, "n/a");

    if (tried > 0) {
      // The same viewers straight to the fake server show what the benchmark itself adds.
      PacedViewers.Result check =
          PacedViewers.ramp(
              direct,
              new int[] {tried},
              options.viewerSettle,
              Duration.ofSeconds(3),
              Duration.ofSeconds(60),
              VIEWER_TARGET_P99_MILLIS);
      if (check.steps().isEmpty()) {
        report.set(row, Report.DIRECT, "failed: " + check.stopReason());
      } else {
        PacedViewers.Step step = check.steps().get(0);
        report.set(row, Report.DIRECT, String.format(
            "%d: p99 %s ms, %s%% of updates (benchmark alone)", step.viewers(),
            Report.number(step.p99Millis()), Report.number(step.deliveredPercent())));
      }
    }
  }

  private void measureMinting(String database, URI gateway, String apiToken) {
    String row = mintingRow(database);
    Minting.Result result;
    try {
      result = Minting.measure(
          gateway, apiToken, MINTING_COMPUTER, options.mintingClients, options.warmUp,
          options.mintingWindow);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.set(row, Report.GATEWAY, "interrupted");
      return;
    }
    progress("Minting on %s: %s tickets/s, p50 %s ms, p99 %s ms, %d errors, %d issued, %d"
            + " audited", database, Report.number(result.ticketsPerSecond()),
        Report.number(result.p50Millis()), Report.number(result.p99Millis()), result.errors(),
        result.issued(), result.audited());
    report.set(row, Report.GATEWAY, String.format("%s (p50 %s ms, p99 %s ms)%s",
        Report.number(result.ticketsPerSecond()), Report.number(result.p50Millis()),
        Report.number(result.p99Millis()), failureMark(result.errors())));
    for (String route : List.of(Report.WEBSOCKIFY, Report.SOCAT, Report.DIRECT)) {
      report.set(row, route, "n/a");
    }
    report.addDetail(String.format(
        "Minting on %s: %d concurrent clients; %d tickets issued in the whole run and %s"
            + " TICKET_ISSUED audit records counted through the audit API afterwards%s.",
        database, options.mintingClients, result.issued(),
        result.audited() < 0 ? "no" : String.valueOf(result.audited()),
        result.errors() == 0 ? "" : "; " + result.errors() + " errors, first: "
            + result.firstError()));
    if (database.equals("PostgreSQL")) {
      report.setTarget(row, "2,000 per second",
          Report.number(result.ticketsPerSecond()) + " per second, "
              + Report.metOrNot(result.ticketsPerSecond() >= MINTING_TARGET_PER_SECOND));
    }
  }

  private void measureMintingOnPostgres(ApiTokens tokens, String apiToken, String vncUrl)
      throws Exception {
    PostgresSchema schema;
    try {
      schema = PostgresSchema.create("bench");
    } catch (Exception e) {
      report.set(mintingRow("PostgreSQL"), Report.GATEWAY, "failed: no PostgreSQL ("
          + e.getMessage() + ")");
      progress("PostgreSQL is not reachable, so minting on it was skipped: %s", e);
      return;
    }
    track(schema);
    ScriptedGateway gateway =
        startGateway(
            "postgresql",
            tokens,
            Map.of(
                "GATEWAY_DB_URL", schema.jdbcUrl(),
                "GATEWAY_DB_USER", PostgresSchema.USER,
                "GATEWAY_DB_PASSWORD", ""));
    GatewayClient api = new GatewayClient(gateway.url());
    register(api, apiToken, MINTING_COMPUTER, vncUrl);
    register(api, apiToken, WARM_UP_COMPUTER, vncUrl);
    progress("Warming up the gateway (postgresql): minting for %d s",
        options.gatewayWarmUp.toSeconds());
    Minting.measure(api.base(), apiToken, WARM_UP_COMPUTER, options.mintingClients,
        Duration.ZERO, options.gatewayWarmUp);
    measureMinting("PostgreSQL", api.base(), apiToken);
    stopGateway(gateway, "postgresql");
    stop(schema);
  }

  private static String mintingRow(String database) {
    return "Tickets per second, " + database + ", audit record committed";
  }

  private static Route gatewayRoute(int port, String computerId, String ticket, GatewayJvm jvm) {
    return new Route(Report.GATEWAY, jvm::cpuSeconds, gatewayConnector(port, computerId, ticket));
  }

  private static Route.Connector gatewayConnector(int port, String computerId, String ticket) {
    String path = "/computer/" + computerId + "/websockify?ticket=" + ticket;
    return () -> RfbClient.handshake(WebSocketTransport.connect(port, path));
  }

  private ScriptedGateway startGateway(
      String name, ApiTokens tokens, Map<String, String> environment) throws Exception {
    progress("Starting the gateway (%s) with server-config/run-gateway.sh", name);
    long start = System.nanoTime();
    ScriptedGateway gateway = track(ScriptedGateway.start(WORK.resolve(name), tokens,
        environment));
    progress("The gateway (%s) is ready on port %d after %.0f s", name, gateway.port(),
        (System.nanoTime() - start) / 1e9);
    if (options.profile) {
      GatewayJvm.find(gateway.port()).startRecording();
    }
    return gateway;
  }

  /** Stops a gateway, first writing and summarizing its flight recording with --profile. */
  private void stopGateway(ScriptedGateway gateway, String name) throws Exception {
    if (options.profile) {
      Path recording = WORK.resolve("gateway-" + name + ".jfr").toAbsolutePath();
      GatewayJvm.find(gateway.port()).dumpRecording(recording);
      String summary = Profile.summarize(recording, PROFILE_METHODS);
      Path summaryFile = WORK.resolve("profile-" + name + ".txt").toAbsolutePath();
      Files.writeString(summaryFile, summary);
      progress("Profile of the gateway (%s), also in %s, recording in %s:%n%s", name,
          summaryFile, recording, summary);
      profiles.append(String.format(
          "%n## Profile of the gateway (%s)%n%nJava Flight Recorder, JDK settings \"profile\","
              + " over the gateway's whole run, warm-up included.%n%n```%n%s```%n",
          name, summary));
    }
    stop(gateway);
  }

  private static void register(
      GatewayClient api, String apiToken, String computerId, String vncUrl) {
    HttpResponse<String> response = api.registerComputer(apiToken, computerId, vncUrl);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("Registering " + computerId + " failed with status "
          + response.statusCode() + ": " + response.body());
    }
  }

  private static String mint(GatewayClient api, String apiToken, String computerId) {
    return api.mintTicket(apiToken, computerId, "{\"ttl_seconds\": 3600}").getString("token");
  }

  private void failed(String row, Route route, Exception e) {
    progress("%s through %s failed: %s", row, route.name(), e);
    report.set(row, route.name(), "failed");
    report.addDetail(row + ", " + route.name() + ": failed: " + e.getMessage());
  }

  private static String failureMark(int failures) {
    return failures == 0 ? "" : " (" + failures + " failed)";
  }

  private String quickNote(int streams) {
    return streams == 200 ? "" : " (at 200 streams; this run: " + streams + ")";
  }

  private void describeMachine() throws IOException {
    String cpuInfo = Files.readString(Path.of("/proc/cpuinfo"));
    Matcher model = Pattern.compile("model name\\s*:\\s*(.+)").matcher(cpuInfo);
    long processors = cpuInfo.lines().filter(line -> line.startsWith("processor")).count();
    Matcher memory =
        Pattern.compile("MemTotal:\\s*(\\d+) kB").matcher(Files.readString(Path.of(
            "/proc/meminfo")));
    report.addHeader(String.format(
        "- Machine: %s, %d logical CPUs (Java sees %d), %s GiB of memory, %s %s",
        model.find() ? model.group(1).trim() : "unknown CPU",
        processors,
        Runtime.getRuntime().availableProcessors(),
        memory.find() ? Report.number(Long.parseLong(memory.group(1)) / 1024.0 / 1024) : "?",
        System.getProperty("os.name"),
        System.getProperty("os.version")));
    report.addHeader(String.format(
        "- Java: %s (%s %s); Payara Micro %s; %s; websockify %s",
        System.getProperty("java.version"),
        System.getProperty("java.vm.vendor"),
        System.getProperty("java.vm.name"),
        payaraVersion(),
        outputLine(List.of("socat", "-V"), "socat version"),
        outputLine(List.of("dpkg-query", "-W", "-f", "${Version}", "websockify"), "")));
    report.addHeader("- Date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + "; load average at the start: " + loadAverage()
        + " (everything shares the same CPUs: gateway, relays, viewers and fake servers)");
    report.addHeader("- Command: `" + command.trim() + "`");
    report.addHeader("- Client: the benchmark JVM's own viewers, one thread each: a minimal"
        + " blocking WebSocket client (RFC 6455) for the gateway and websockify, and a plain"
        + " socket for socat and direct TCP, both reading through the same 64 KiB buffered"
        + " stream. The fake VNC server runs in the same JVM on one NIO thread, so the direct TCP"
        + " column is the ceiling of viewers and server together on this machine.");
    report.addHeader("- Fake VNC server: RFB 3.8, security None, 1920x1080 at 32 bits per pixel;"
        + " each update request gets one Raw rectangle of the requested region (8,294,416 bytes"
        + " for the whole screen). MB is 10^6 bytes, GB 10^9 bytes.");
  }

  private static String payaraVersion() {
    try {
      Matcher version = Pattern.compile("<payara.version>([^<]+)</payara.version>")
          .matcher(Files.readString(Path.of("..", "pom.xml")));
      return version.find() ? version.group(1) : "(version unknown)";
    } catch (IOException e) {
      return "(version unknown)";
    }
  }

  /** Returns the first output line of {@code command} that contains {@code marker}. */
  private static String outputLine(List<String> command, String marker) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output.lines().filter(line -> line.contains(marker)).findFirst().orElse("unknown")
          .trim();
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void progress(String format, Object... arguments) {
    System.err.printf(format + "%n", arguments);
  }

  private synchronized <T extends AutoCloseable> T track(T resource) {
    started.push(resource);
    return resource;
  }

  /** Stops one resource now and removes it from the started ones. */
  private void stop(AutoCloseable resource) throws Exception {
    synchronized (this) {
      started.remove(resource);
    }
    resource.close();
  }

  /** Stops everything still running, newest first; called at the end and by the hook. */
  private synchronized void stopAll() {
    while (!started.isEmpty()) {
      AutoCloseable resource = started.pop();
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("Stopping " + resource + " failed: " + e);
      }
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
