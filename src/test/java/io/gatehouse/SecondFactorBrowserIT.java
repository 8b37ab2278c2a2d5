package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.HeadlessChromium;
import io.gatehouse.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 23 in Debian's headless Chromium, on a server clock the test moves: a user signed in with a
 * password turns TOTP on from the enrolment page (the secret read off the page, the codes computed
 * here with java-otp, independently of the server's verifier), signs in again with password and code,
 * and a password session opening a route with {@code auth_level: mfa} is sent to the code page and,
 * after the code, lands back on the route. The enrolment page and the code page are saved as the
 * README's screenshots ({@link HeadlessChromium#screenshot}).
 */
class SecondFactorBrowserIT {

  private static final String PASSWORD = "browser pass phrase";
  /** At the start of a 30-second step; each code is spent once, so the test moves on a step for the next. */
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));

  @TempDir
  static Path data;
  @TempDir
  static Path profile;
  private static GatehouseFixture gw;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    gw = GatehouseFixture.start(data, """
        signup: { rate_limit: [] }
        routes:
          - { id: home, path: /app/home, respond: { body: home }, auth: [session] }
          - { id: payroll, path: /app/payroll, respond: { body: payroll }, auth: [session], auth_level: mfa }
        """, Map.of(), CLOCK);
    browser = HeadlessChromium.start(profile, "--window-size=640,820");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void enrolsSignsInWithACodeAndStepsUpToAnMfaRoute() throws Exception {
    String base = "http://127.0.0.1:" + gw.gatehouse.httpPort();
    assertThat(json("/auth/signup").statusCode()).isEqualTo(201);
    // A session of another device, signed in by password before the enrolment: it stays a
    // password sign-in, which the mfa route will not take without a step-up.
    String otherDevice = new JsonObject(json("/auth/login").body()).getString("session_token");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));

    browser.get(base + "/auth/login?return_to=/app/home");
    wait.until(ExpectedConditions.titleIs("Sign in"));
    signIn();
    wait.until(ExpectedConditions.urlToBe(base + "/app/home"));

    browser.get(base + "/auth/mfa/enrol?return_to=/app/home");
    wait.until(ExpectedConditions.titleIs("Set up two-step sign-in"));
    assertThat(browser.findElement(By.id("qr")).getAttribute("src")).startsWith("data:image/");
    HeadlessChromium.screenshot(browser, "mfa-enrol.png");
    byte[] secret = Base32.decode(pad(browser.findElement(By.id("secret")).getText().replace(" ", "")));
    browser.findElement(By.id("code")).sendKeys(code(secret));
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.titleIs("Save your recovery codes"));
    assertThat(browser.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
    browser.findElement(By.id("continue")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/app/home"));
    assertThat(browser.findElement(By.tagName("body")).getText()).isEqualTo("home");

    // Signed out (the cookies gone), then in again: the password, then the code.
    browser.manage().deleteAllCookies();
    CLOCK.advance(Duration.ofSeconds(30));
    browser.get(base + "/auth/login?return_to=/app/home");
    wait.until(ExpectedConditions.titleIs("Sign in"));
    signIn();
    wait.until(ExpectedConditions.titleIs("Two-step sign-in"));
    assertThat(browser.manage().getCookieNamed("gh_session")).as("no session before the code").isNull();
    HeadlessChromium.screenshot(browser, "mfa-code.png");
    browser.findElement(By.id("code")).sendKeys("000000");
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error")));
    browser.findElement(By.id("code")).sendKeys(code(secret));
    CLOCK.advance(Duration.ofSeconds(2)); // past the throttle's delay after the wrong code, within the step
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/app/home"));
    browser.get(base + "/app/payroll");
    wait.until(ExpectedConditions.urlToBe(base + "/app/payroll"));
    assertThat(browser.findElement(By.tagName("body")).getText()).isEqualTo("payroll");

    // The other device's password session: to the code page, and back to the route after it.
    browser.manage().deleteAllCookies();
    browser.manage().addCookie(new Cookie("gh_session", otherDevice, "/"));
    CLOCK.advance(Duration.ofSeconds(30));
    browser.get(base + "/app/home");
    wait.until(ExpectedConditions.urlToBe(base + "/app/home"));
    browser.get(base + "/app/payroll");
    wait.until(ExpectedConditions.titleIs("Two-step sign-in"));
    assertThat(browser.getCurrentUrl()).isEqualTo(base + "/auth/mfa?return_to=%2Fapp%2Fpayroll");
    browser.findElement(By.id("code")).sendKeys(code(secret));
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/app/payroll"));
    assertThat(browser.findElement(By.tagName("body")).getText()).isEqualTo("payroll");
    assertThat(browser.manage().getCookieNamed("gh_session").getValue()).as("the step-up starts a new session")
        .isNotEqualTo(otherDevice);
  }

  private static void signIn() {
    browser.findElement(By.id("username")).sendKeys("ursula");
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("submit")).click();
  }

  /** The code an authenticator app shows now on the server's clock: RFC 6238, SHA-1, 6 digits, 30 s. */
  private static String code(byte[] secret) throws Exception {
    TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6);
    return String.format("%06d", totp.generateOneTimePassword(new SecretKeySpec(secret, "RAW"), CLOCK.instant()));
  }

  private static String pad(String base32) {
    return base32 + "=".repeat((8 - base32.length() % 8) % 8);
  }

  private static java.net.http.HttpResponse<String> json(String path) throws Exception {
    return gw.send(HttpRequest.newBuilder(gw.http(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ursula\",\"password\":\"" + PASSWORD + "\"}"))
        .build());
  }
}
