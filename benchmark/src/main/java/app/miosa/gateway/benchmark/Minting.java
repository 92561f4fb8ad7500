package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Ticket minting: {@code clients} threads each POST to the terminal-tickets endpoint in a loop,
 * over HTTP/1.1 keep-alive connections of one JDK HttpClient. A 201 means the ticket's audit
 * record was committed in the same transaction. Afterwards the audit API's CSV export is asked
 * how many TICKET_ISSUED records the computer has, to check that every 201 left one.
 */
final class Minting {
  /**
   * @param ticketsPerSecond 201 responses per second in the window
   * @param errors responses other than 201, and failed requests, in the whole run
   * @param issued 201 responses in the whole run, warm-up included
   * @param audited TICKET_ISSUED audit records of the computer afterwards, or -1 if unknown
   */
  record Result(
      double ticketsPerSecond,
      double p50Millis,
      double p99Millis,
      int errors,
      String firstError,
      int issued,
      long audited) {}

  private Minting() {}

  static Result measure(
      URI gateway,
      String apiToken,
      String computerId,
      int clients,
      Duration warmUp,
      Duration duration)
      throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(
                gateway.resolve("api/v1/computers/" + computerId + "/terminal-tickets"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + apiToken)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"ttl_seconds\": 600, \"attribution\": \"benchmark\"}"))
            .build();

    long windowStart = System.nanoTime() + warmUp.toNanos();
    long windowEnd = windowStart + duration.toNanos();
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Samples> perClient = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Samples samples = new Samples();
      perClient.add(samples);
      Thread thread =
          new Thread(
              () -> {
                while (true) {
                  long sent = System.nanoTime();
                  if (sent >= windowEnd) {
                    return;
                  }
                  try {
                    HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    long received = System.nanoTime();
                    if (response.statusCode() == 201) {
                      issued.incrementAndGet();
                      if (sent >= windowStart && received <= windowEnd) {
                        samples.add(received - sent);
                      }
                    } else {
                      errors.incrementAndGet();
                      firstError.compareAndSet(
                          null, "status " + response.statusCode() + ": " + response.body());
                    }
                  } catch (IOException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "minting-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    Samples all = new Samples();
    perClient.forEach(all::addAll);
    return new Result(
        all.size() / (duration.toNanos() / 1e9),
        all.percentileMillis(50),
        all.percentileMillis(99),
        errors.get(),
        firstError.get(),
        issued.get(),
        auditedTickets(http, gateway, apiToken, computerId));
  }

  /** Counts the computer's TICKET_ISSUED records through the audit API's CSV export. */
  private static long auditedTickets(
      HttpClient http, URI gateway, String apiToken, String computerId) {
    HttpRequest request =
        HttpRequest.newBuilder(
                gateway.resolve(
                    "api/v1/audit-events?kind=TICKET_ISSUED&computer_id=" + computerId))
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Bearer " + apiToken)
            .header("Accept", "text/csv")
            .GET()
            .build();
    try {
      HttpResponse<Stream<String>> response =
          http.send(request, HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        return -1;
      }
      // One header row, then one row per record; the attribution contains no line break.
      return response.body().count() - 1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
