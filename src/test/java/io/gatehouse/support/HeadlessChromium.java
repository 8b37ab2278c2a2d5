package io.gatehouse.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium driven by its chromedriver, headless, for the browser tests: the flags this
 * machine's Chromium needs, the browser's console kept for the tests to read, and a 30-second page
 * load timeout.
 */
public final class HeadlessChromium {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /**
   * Where {@link #screenshot} saves: {@code target/}, and the README's {@code docs/screenshots/} only
   * when {@code GATEHOUSE_UPDATE_SCREENSHOTS} is set (a page may show a new secret each run: an
   * ordinary build must not change the worktree).
   */
  private static final Path SCREENSHOTS = System.getenv("GATEHOUSE_UPDATE_SCREENSHOTS") == null
      ? Path.of("target/screenshots") : Path.of("docs/screenshots");

  private HeadlessChromium() {
  }

  /**
   * Skips the calling test class when Chromium or its driver is not installed, unless
   * {@code GATEHOUSE_REQUIRE_SERVICES} is set (then starting fails instead).
   */
  public static void assumeInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (System.getenv("GATEHOUSE_REQUIRE_SERVICES") == null) {
      assumeTrue(present, "chromium and chromium-driver are not installed");
    }
  }

  /**
   * A browser with its profile in {@code profile}, and {@code arguments} beside the usual flags
   * (such as {@code --window-size=640,820}).
   */
  public static ChromeDriver start(Path profile, String... arguments) {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    // The flags this machine's Chromium needs: no sandbox as root, no network beyond localhost.
    List<String> flags = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"));
    flags.addAll(List.of(arguments));
    flags.add("--user-data-dir=" + profile);
    options.addArguments(flags);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return browser;
  }

  /** Saves what {@code browser} shows as {@code name} (a PNG) among the README's screenshots ({@link #SCREENSHOTS}). */
  public static void screenshot(WebDriver browser, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
