package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.demo.DemoSite;
import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.AudioSource;
import app.miosa.gateway.testing.Chromium;
import app.miosa.gateway.testing.Desktop;
import app.miosa.gateway.testing.EmbeddingPage;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.StreamProbe;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The desktop's sound on Payara Micro: a real tone from ffmpeg, relayed to headless Chromium
 * only when the viewer URL carries audio=1, and closed with the desktop stream.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AudioIT {
  private static final ApiTokens TOKENS = ApiTokens.generate();
  private static final Path OUTPUT = Path.of("target", "audio-it");

  /** The source's tone; the analyser's bins at 48 kHz and 8192 points are 5.9 Hz apart. */
  private static final int TONE_HERTZ = 880;

  /** The first four bytes of every WebM stream: the EBML header's element id. */
  private static final byte[] EBML_MAGIC = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};

  private static Desktop desktop;
  private static AudioSource tone;

  @ArquillianResource private URL deploymentUrl;

  private GatewayClient gateway;
  private String apiToken;
  private String computerId;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(TOKENS, "audio");
  }

  @BeforeAll
  static void startDesktopAndSound() throws Exception {
    java.nio.file.Files.createDirectories(OUTPUT);
    desktop = Desktop.start(OUTPUT);
    tone = AudioSource.tone(TONE_HERTZ, OUTPUT);
  }

  @AfterAll
  static void stopDesktopAndSound() throws Exception {
    if (tone != null) {
      tone.close();
    }
    if (desktop != null) {
      desktop.close();
    }
  }

  @BeforeEach
  void createClient() {
    gateway = new GatewayClient(deploymentUrl);
    apiToken = TOKENS.token("key_audio_test", "acme", ApiTokens.ALL_ROLES);
    computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void viewerWithAudioParameterPlaysTheComputersTone() throws Exception {
    registerWithSound(tone.url());
    try (DemoSite site = site()) {
      ChromeDriver browser = Chromium.start(OUTPUT, "--autoplay-policy=no-user-gesture-required");
      try {
        browser.get(site.pageUrl() + "?audio=1");
        EmbeddingPage.awaitStreamState(browser, "connected", Duration.ofSeconds(30));
        WebElement frame = EmbeddingPage.enterShownFrame(browser);
        awaitPlaying(browser);

        Map<?, ?> analysis = analyse(browser);
        System.out.printf(
            "Audio: loudest frequency %.1f Hz at %.1f dB, playback %.0f ms behind the newest"
                + " audio received%n",
            number(analysis, "hertz"), number(analysis, "decibels"), number(analysis, "behindMs"));

        assertEquals(TONE_HERTZ, number(analysis, "hertz"), 12, "the loudest frequency heard");
        assertTrue(number(analysis, "decibels") > -50, "the tone's level: " + analysis);
        assertTrue(number(analysis, "behindMs") < 500, "playback delay: " + analysis);
        browser.switchTo().defaultContent();
        assertEquals("clipboard-read; clipboard-write; autoplay", frame.getAttribute("allow"));
        assertEquals(1, auditRecords("AUDIO_STREAM_OPENED").size());
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void viewerWithoutAudioParameterOpensNoAudioStream() throws Exception {
    registerWithSound(tone.url());
    try (DemoSite site = site()) {
      ChromeDriver browser = Chromium.start(OUTPUT, "--autoplay-policy=no-user-gesture-required");
      try {
        browser.get(site.pageUrl().toString());
        EmbeddingPage.awaitStreamState(browser, "connected", Duration.ofSeconds(30));
        WebElement frame = EmbeddingPage.enterShownFrame(browser);
        Thread.sleep(2000);

        assertEquals(0, browser.findElements(By.id("audio")).size(), "audio elements");
        browser.switchTo().defaultContent();
        assertEquals("clipboard-read; clipboard-write", frame.getAttribute("allow"));
        assertEquals(1, auditRecords("STREAM_OPENED").size());
        assertEquals(0, auditRecords("AUDIO_STREAM_OPENED").size());
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void computerWithoutAudioSourceGetsNoAudioStream() throws Exception {
    gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
    try (DemoSite site = site()) {
      ChromeDriver browser = Chromium.start(OUTPUT, "--autoplay-policy=no-user-gesture-required");
      try {
        browser.get(site.pageUrl() + "?audio=1");
        EmbeddingPage.awaitStreamState(browser, "connected", Duration.ofSeconds(30));
        EmbeddingPage.enterShownFrame(browser);
        Thread.sleep(2000);

        assertEquals(0, browser.findElements(By.id("audio")).size(), "audio elements");
        assertEquals(0, auditRecords("AUDIO_STREAM_OPENED").size());
      } finally {
        browser.quit();
      }
    }
    StreamProbe direct = openAudio(mint("{}")).get();
    assertEquals(4004, direct.awaitCloseCode(Duration.ofSeconds(10)));
    assertEquals(0, direct.awaitBytes(1, Duration.ZERO).length, "audio bytes sent");
  }

  @Test
  void blockedAutoplayShowsUnmuteControlThatStartsSound() throws Exception {
    registerWithSound(tone.url());
    try (DemoSite site = site()) {
      ChromeDriver browser = Chromium.start(OUTPUT, "--autoplay-policy=user-gesture-required");
      try {
        browser.get(site.pageUrl() + "?audio=1");
        EmbeddingPage.awaitStreamState(browser, "connected", Duration.ofSeconds(30));
        EmbeddingPage.enterShownFrame(browser);
        WebElement unmute =
            new WebDriverWait(browser, Duration.ofSeconds(20))
                .withMessage("the unmute control never appeared")
                .until(driver -> displayed(driver.findElement(By.id("unmute"))));
        assertEquals(true, script(browser, "return document.getElementById('audio').muted"));

        unmute.click();
        awaitPlaying(browser);

        assertFalse(unmute.isDisplayed(), "the unmute control is gone");
        assertEquals(false, script(browser, "return document.getElementById('audio').muted"));
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void audioStreamRelaysTheSourcesWebm() throws Exception {
    registerWithSound(tone.url());
    String token = mint("{}");
    StreamProbe picture = openDesktop(token).get();
    picture.awaitBytes(12, Duration.ofSeconds(10));

    StreamProbe audio = openAudio(token).get();

    byte[] received = audio.awaitBytes(4096, Duration.ofSeconds(10));
    assertTrue(received.length >= 4096, "bytes received: " + received.length);
    assertArrayEquals(EBML_MAGIC, Arrays.copyOf(received, 4));
    audio.socket().sendClose(1000, "heard enough").join();
    assertEquals(1000, audio.awaitCloseCode(Duration.ofSeconds(5)));
  }

  @Test
  void audioWithoutDesktopStreamIsRefused() throws Exception {
    registerWithSound(tone.url());

    StreamProbe audio = openAudio(mint("{}")).get();

    assertEquals(1008, audio.awaitCloseCode(Duration.ofSeconds(10)));
    assertEquals(0, audio.awaitBytes(1, Duration.ZERO).length, "audio bytes sent");
    JsonArray rejections = awaitAuditRecords("CONNECTION_REFUSED", 1);
    assertEquals("NO_DESKTOP_STREAM", rejections.getJsonObject(0).getString("reason"));
  }

  @Test
  void revocationClosesTheAudioStreamToo() throws Exception {
    registerWithSound(tone.url());
    String token = mint("{}");
    StreamProbe picture = openDesktop(token).get();
    picture.awaitBytes(12, Duration.ofSeconds(10));
    double bytesBefore = gateway.metric("gateway_audio_relayed_bytes_total", "");
    StreamProbe audio = openAudio(token).get();
    assertTrue(audio.awaitBytes(4, Duration.ofSeconds(10)).length >= 4, "audio started");
    double liveWhileOpen = gateway.metric("gateway_audio_streams_live", "");

    HttpResponse<String> revoked =
        gateway.delete("api/v1/computers/" + computerId + "/terminal-tickets", apiToken);

    assertEquals(200, revoked.statusCode(), revoked.body());
    assertEquals(1, GatewayClient.json(revoked).getInt("streams_closed"), "desktop streams");
    assertEquals(4003, picture.awaitCloseCode(Duration.ofSeconds(5)));
    assertEquals(4003, audio.awaitCloseCode(Duration.ofSeconds(5)));
    // The record is written just after the close has gone out.
    JsonArray closed = awaitAuditRecords("AUDIO_STREAM_CLOSED", 1);
    assertEquals(4003, closed.getJsonObject(0).getInt("close_code"));
    assertEquals("The ticket was revoked", closed.getJsonObject(0).getString("reason"));
    long bytesSent = closed.getJsonObject(0).getJsonNumber("bytes_to_viewer").longValue();
    assertTrue(bytesSent > 0, "audio bytes in the audit record");
    assertTrue(liveWhileOpen >= 1, "live audio streams: " + liveWhileOpen);
    assertTrue(
        gateway.metric("gateway_audio_relayed_bytes_total", "") >= bytesBefore + bytesSent,
        "audio bytes counted");
  }

  @Test
  void audioClosesAtTicketExpiry() throws Exception {
    registerWithSound(tone.url());
    String token = mint("{\"ttl_seconds\": 3}");

    StreamProbe picture = openDesktop(token).get();
    picture.awaitBytes(12, Duration.ofSeconds(10));
    StreamProbe audio = openAudio(token).get();

    assertTrue(audio.awaitBytes(4, Duration.ofSeconds(10)).length >= 4, "audio started");
    assertEquals(4001, picture.awaitCloseCode(Duration.ofSeconds(15)));
    assertEquals(4001, audio.awaitCloseCode(Duration.ofSeconds(5)));
  }

  @Test
  void audioClosesWithDesktopStream() throws Exception {
    registerWithSound(tone.url());
    String token = mint("{}");
    StreamProbe picture = openDesktop(token).get();
    picture.awaitBytes(12, Duration.ofSeconds(10));
    StreamProbe audio = openAudio(token).get();
    assertTrue(audio.awaitBytes(4, Duration.ofSeconds(10)).length >= 4, "audio started");

    // A code the viewer picks is not passed on as if the gateway had revoked the ticket.
    picture.socket().sendClose(4003, "viewer left").join();

    assertEquals(1000, audio.awaitCloseCode(Duration.ofSeconds(5)));
  }

  @Test
  void audioUpgradeFromForeignOriginIsRejected() throws Exception {
    registerWithSound(tone.url());
    URI url = audioUrl(mint("{}"));

    ExecutionException failure =
        assertThrows(
            ExecutionException.class,
            () ->
                gateway
                    .http()
                    .newWebSocketBuilder()
                    .header("Origin", "https://evil.example")
                    .buildAsync(url, new StreamProbe())
                    .get());

    WebSocketHandshakeException handshake =
        assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    assertEquals(403, handshake.getResponse().statusCode());
  }

  @Test
  void audioUpgradeWithBadTicketIsRejected() {
    URI url = audioUrl("miosa_term_forged");

    ExecutionException failure =
        assertThrows(
            ExecutionException.class, () -> StreamProbe.open(gateway.http(), url).get());

    WebSocketHandshakeException handshake =
        assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    assertEquals(401, handshake.getResponse().statusCode());
  }

  @Test
  void nonTcpAudioUrlIsRejected() {
    HttpResponse<String> response =
        gateway.put(
            "api/v1/computers/" + computerId,
            apiToken,
            "{\"vnc_url\": \"" + desktop.vncUrl() + "\", \"audio_url\": \"ws://127.0.0.1:9/\"}");

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(
        GatewayClient.json(response).getString("detail").startsWith("Field 'audio_url'"),
        response.body());
    assertEquals(404, gateway.get("api/v1/computers/" + computerId, apiToken).statusCode());
  }

  @Test
  void audioUrlKeptUnlessNull() {
    registerWithSound(tone.url());

    gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
    JsonObject unchanged =
        GatewayClient.json(gateway.get("api/v1/computers/" + computerId, apiToken));
    gateway.put(
        "api/v1/computers/" + computerId,
        apiToken,
        "{\"vnc_url\": \"" + desktop.vncUrl() + "\", \"audio_url\": null}");
    JsonObject removed =
        GatewayClient.json(gateway.get("api/v1/computers/" + computerId, apiToken));

    assertEquals(tone.url(), unchanged.getString("audio_url"));
    assertTrue(removed.isNull("audio_url"), removed.toString());
  }

  private void registerWithSound(String audioUrl) {
    HttpResponse<String> response =
        gateway.put(
            "api/v1/computers/" + computerId,
            apiToken,
            "{\"vnc_url\": \"" + desktop.vncUrl() + "\", \"audio_url\": \"" + audioUrl + "\"}");
    assertEquals(201, response.statusCode(), response.body());
  }

  private DemoSite site() throws java.io.IOException {
    return DemoSite.start(
        new InetSocketAddress("127.0.0.1", 0), gateway.base(), apiToken, computerId, "{}");
  }

  private String mint(String request) {
    return gateway.mintTicket(apiToken, computerId, request).getString("token");
  }

  private java.util.concurrent.CompletableFuture<StreamProbe> openDesktop(String token) {
    return StreamProbe.open(
        gateway.http(),
        websocketUrl(gateway.resolve("computer/" + computerId + "/websockify?ticket=" + token)));
  }

  private java.util.concurrent.CompletableFuture<StreamProbe> openAudio(String token) {
    return StreamProbe.open(gateway.http(), audioUrl(token));
  }

  private URI audioUrl(String token) {
    return websocketUrl(gateway.resolve("computer/" + computerId + "/audio?ticket=" + token));
  }

  private JsonArray auditRecords(String kind) {
    HttpResponse<String> response =
        gateway.get(
            "api/v1/audit-events?computer_id=" + computerId + "&kind=" + kind, apiToken);
    assertEquals(200, response.statusCode(), response.body());
    return GatewayClient.json(response).getJsonArray("events");
  }

  private JsonArray awaitAuditRecords(String kind, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonArray records = auditRecords(kind);
    while (records.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
      records = auditRecords(kind);
    }
    assertEquals(count, records.size(), kind + " records: " + records);
    return records;
  }

  /** Waits until the viewer's audio element plays and has played half a second. */
  private static void awaitPlaying(ChromeDriver browser) {
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .withMessage("the audio never started playing")
        .until(
            driver ->
                script(
                    driver,
                    "const audio = document.getElementById('audio');"
                        + " return audio !== null && !audio.paused && audio.currentTime > 0.5;"));
  }

  /**
   * Routes the viewer's audio element through a WebAudio analyser for a second and returns the
   * loudest frequency, its level, and how far playback is behind the newest audio buffered.
   */
  private static Map<?, ?> analyse(ChromeDriver browser) {
    String analyser =
        """
        const done = arguments[arguments.length - 1];
        const audio = document.getElementById('audio');
        const context = new AudioContext();
        const analyser = context.createAnalyser();
        analyser.fftSize = 8192;
        context.createMediaElementSource(audio).connect(analyser);
        analyser.connect(context.destination);
        setTimeout(() => {
          const bins = new Float32Array(analyser.frequencyBinCount);
          analyser.getFloatFrequencyData(bins);
          let loudest = 1;
          for (let i = 2; i < bins.length; i++) {
            if (bins[i] > bins[loudest]) loudest = i;
          }
          const buffered = audio.buffered;
          done({
            hertz: loudest * context.sampleRate / analyser.fftSize,
            decibels: bins[loudest],
            behindMs: 1000 * (buffered.end(buffered.length - 1) - audio.currentTime),
          });
        }, 1500);
        """;
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return (Map<?, ?>) browser.executeAsyncScript(analyser);
  }

  private static double number(Map<?, ?> values, String key) {
    return ((Number) values.get(key)).doubleValue();
  }

  private static Object script(org.openqa.selenium.WebDriver driver, String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static WebElement displayed(WebElement element) {
    return element.isDisplayed() ? element : null;
  }

  private static URI websocketUrl(URI httpUrl) {
    return URI.create("ws" + httpUrl.toString().substring("http".length()));
  }
}
