package app.miosa.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Both paths are explicit, so
 * Selenium never downloads a browser or a driver.
 */
public final class Chromium {
  private static final String BROWSER = "/usr/lib/chromium/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  private Chromium() {}

  /**
   * Starts a browser with a fresh profile under {@code profileParent}.
   *
   * @param extraArguments further command-line switches, such as {@code --host-resolver-rules}
   */
  public static ChromeDriver start(Path profileParent, String... extraArguments) {
    try {
      Files.createDirectories(profileParent);
      Path profile = Files.createTempDirectory(profileParent, "chromium-profile");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(new File(BROWSER));
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--window-size=1280,900",
          "--user-data-dir=" + profile.toAbsolutePath());
      options.addArguments(extraArguments);
      ChromeDriverService service =
          new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
      return new ChromeDriver(service, options);
    } catch (IOException e) {
      throw new UncheckedIOException("Creating a Chromium profile failed", e);
    }
  }
}
