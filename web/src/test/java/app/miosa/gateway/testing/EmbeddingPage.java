package app.miosa.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Reads the demo site's page in Chromium: the stream state its script keeps on the body, and the
 * viewer's canvas inside the frame that {@code embed.js} shows.
 */
public final class EmbeddingPage {
  /** The frame embed.js shows; a frame loading a new ticket under it is aria-hidden. */
  public static final By SHOWN_FRAME = By.cssSelector("#desktop iframe:not([aria-hidden])");

  private EmbeddingPage() {}

  /** Waits until the page's body reports this stream state. */
  public static void awaitStreamState(ChromeDriver browser, String state, Duration timeout) {
    new WebDriverWait(browser, timeout)
        .withMessage(() -> "stream state on the page: " + streamState(browser))
        .until(driver -> state.equals(streamState(browser)));
  }

  public static String streamState(ChromeDriver browser) {
    return browser.findElement(By.tagName("body")).getAttribute("data-stream-state");
  }

  /** Switches the driver into the frame embed.js shows and returns the frame's element. */
  public static WebElement enterShownFrame(ChromeDriver browser) {
    WebElement frame = browser.findElement(SHOWN_FRAME);
    browser.switchTo().frame(frame);
    return frame;
  }

  /**
   * Returns the noVNC canvas's width, height and the number of distinct colours among its pixels,
   * once the first framebuffer update has been drawn. The driver must be inside the viewer's frame.
   */
  public static long[] canvasSizeAndColours(ChromeDriver browser) {
    String script =
        """
        const canvas = document.querySelector('#screen canvas');
        if (!canvas || canvas.width < 2) return null;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        for (let i = 0; i < pixels.length; i += 4 * 7) {
          colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
        }
        return colours.size > 1 ? [canvas.width, canvas.height, colours.size] : null;
        """;
    Object result =
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .withMessage("the noVNC canvas never showed more than one colour")
            .until(driver -> ((JavascriptExecutor) driver).executeScript(script));
    return ((List<?>) result).stream().mapToLong(value -> ((Number) value).longValue()).toArray();
  }

  /**
   * Returns how many sampled canvas pixels are within {@code tolerance} of {@code rgb} in each
   * channel, once there are any. The driver must be inside the viewer's frame.
   */
  public static long awaitCanvasColour(ChromeDriver browser, int rgb, int tolerance) {
    String script =
        """
        const [rgb, tolerance] = [arguments[0], arguments[1]];
        const canvas = document.querySelector('#screen canvas');
        if (!canvas || canvas.width < 2) return null;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let matching = 0;
        for (let i = 0; i < pixels.length; i += 4 * 7) {
          if (Math.abs(pixels[i] - ((rgb >> 16) & 255)) <= tolerance
              && Math.abs(pixels[i + 1] - ((rgb >> 8) & 255)) <= tolerance
              && Math.abs(pixels[i + 2] - (rgb & 255)) <= tolerance) {
            matching++;
          }
        }
        return matching > 0 ? matching : null;
        """;
    Object result =
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .withMessage(String.format("the noVNC canvas never showed the colour #%06x", rgb))
            .until(driver -> ((JavascriptExecutor) driver).executeScript(script, rgb, tolerance));
    return ((Number) result).longValue();
  }

  public static void saveScreenshot(ChromeDriver browser, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        target,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
