package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.gatehouse.support.CodeFlow;
import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.HeadlessChromium;
import io.gatehouse.support.MutableClock;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Issue 23's account page in Debian's headless Chromium, every action clicked, on a server clock the
 * test moves: password change, TOTP on (through the enrolment page and back), new recovery codes,
 * TOTP off, a passkey added with Chromium's virtual authenticator, renamed and removed, another
 * session ended and then all others, an API key created (shown once) and revoked, an app's consent
 * withdrawn; a change after five minutes sends the user to sign in again and back; and signing
 * out. No CSP violation on the way. The page is saved as the README's screenshot ({@link HeadlessChromium#screenshot}).
 */
class AccountBrowserIT {

  private static final String PASSWORD = "browser pass phrase";
  private static final String NEW_PASSWORD = "another long pass phrase";
  private static final String CALLBACK = "https://partner.example/cb";
  /** At the start of a 30-second step, so that each code spent is followed by a fresh one 30 s on. */
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));

  @TempDir
  static Path data;
  @TempDir
  static Path profile;
  private static GatehouseFixture gw;
  private static ChromeDriver browser;
  private static String base;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    gw = GatehouseFixture.startOnLocalhost(data, """
        passkeys: { enabled: true }
        signup: { rate_limit: [], default_roles: [admin] }
        routes:
          - { id: keyed, path: /app/keyed, respond: { body: keyed }, auth: [api_key] }
        """, Map.of(), CLOCK);
    base = gw.localOrigin();
    assertThat(json("/auth/signup", "{\"username\":\"olga\",\"password\":\"" + PASSWORD + "\"}", null).statusCode())
        .isEqualTo(201);
    browser = HeadlessChromium.start(profile, "--window-size=900,1400");
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
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
  void everyActionOfTheAccountPage() throws Exception {
    browser.get(base + "/account");
    wait.until(ExpectedConditions.titleIs("Sign in"));
    signIn(PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/account"));
    assertThat(text("username")).isEqualTo("olga");

    // Password: changed, and the other device signed out.
    String otherDevice = signInOverJson(PASSWORD);
    browser.findElement(By.id("current_password")).sendKeys(PASSWORD);
    browser.findElement(By.id("new_password")).sendKeys(NEW_PASSWORD);
    browser.findElement(By.id("change-password")).click();
    assertNotice("Your password is changed.");
    assertThat(json("/auth/session", null, otherDevice).statusCode()).isEqualTo(401);

    // TOTP on through the enrolment page, which comes back here; new recovery codes; off.
    browser.findElement(By.id("enrol-totp")).click();
    wait.until(ExpectedConditions.titleIs("Set up two-step sign-in"));
    byte[] secret = Base32.decode(pad(browser.findElement(By.id("secret")).getText().replace(" ", "")));
    browser.findElement(By.id("code")).sendKeys(code(secret));
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.titleIs("Save your recovery codes"));
    browser.findElement(By.id("continue")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/account"));
    assertThat(text("totp-status")).startsWith("On").contains("10 recovery codes left");
    browser.findElement(By.id("new-recovery-codes")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recovery-codes")));
    assertThat(browser.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
    browser.findElement(By.id("remove-totp")).click();
    assertNotice("Two-step sign-in is off.");
    assertThat(text("totp-status")).startsWith("Off");

    // A passkey: added with the virtual authenticator, renamed, removed.
    VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
        new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
            .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
            .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
    WebElement name = browser.findElement(By.id("passkey-name"));
    name.clear();
    name.sendKeys("Laptop");
    browser.findElement(By.id("add-passkey")).click();
    assertNotice("The passkey is added.");
    assertThat(authenticator.getCredentials()).hasSize(1);
    WebElement rename = browser.findElement(By.cssSelector(".passkey input[name=name]"));
    assertThat(rename.getAttribute("value")).isEqualTo("Laptop");
    rename.clear();
    rename.sendKeys("Work laptop");
    browser.findElement(By.cssSelector(".rename-passkey")).click();
    assertNotice("The passkey is renamed.");
    assertThat(browser.findElement(By.cssSelector(".passkey input[name=name]")).getAttribute("value"))
        .isEqualTo("Work laptop");

    // Sessions: another one listed and ended; then all others.
    String second = signInOverJson(NEW_PASSWORD);
    String third = signInOverJson(NEW_PASSWORD);
    browser.navigate().refresh();
    assertThat(browser.findElements(By.cssSelector("tr.session"))).hasSize(3);
    assertThat(browser.findElement(By.cssSelector("tr.session .current")).getText()).isEqualTo("This browser");
    browser.findElements(By.cssSelector(".end-session")).get(0).click();
    assertNotice("That session is signed out.");
    assertThat(browser.findElements(By.cssSelector("tr.session"))).hasSize(2);
    browser.findElement(By.id("end-other-sessions")).click();
    assertNotice("You are signed out everywhere else.");
    assertThat(browser.findElements(By.cssSelector("tr.session"))).hasSize(1);
    assertThat(json("/auth/session", null, second).statusCode()).isEqualTo(401);
    assertThat(json("/auth/session", null, third).statusCode()).isEqualTo(401);

    // An API key: made, shown once, works; revoked.
    browser.findElement(By.id("create-api-key")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-key")));
    String key = text("new-key");
    assertThat(key).matches("gh_[0-9a-f]{12}_[0-9a-f]{64}");
    assertThat(gw.get("/app/keyed", "Authorization", "ApiKey " + key).statusCode()).isEqualTo(200);
    browser.get(base + "/account");
    assertThat(browser.getPageSource()).doesNotContain(key);
    browser.findElement(By.cssSelector(".revoke-api-key")).click();
    assertNotice("The API key is revoked.");
    assertThat(browser.findElements(By.cssSelector("tr.api-key"))).isEmpty();
    assertThat(gw.get("/app/keyed", "Authorization", "ApiKey " + key).statusCode()).isEqualTo(401);

    // An app's consent, given over OAuth by this user, withdrawn here.
    consentToPartner();
    browser.get(base + "/account");
    assertThat(browser.findElement(By.cssSelector("tr.consent")).getText()).contains("partner");
    HeadlessChromium.screenshot(browser, "account.png");
    browser.findElement(By.cssSelector(".withdraw-consent")).click();
    assertNotice("The app's access is withdrawn");
    assertThat(browser.findElements(By.cssSelector("tr.consent"))).isEmpty();

    // Five minutes on, removing the passkey needs a fresh sign-in: the login page, then back here.
    CLOCK.advance(Duration.ofMinutes(6));
    browser.navigate().refresh();
    assertThat(browser.findElement(By.id("stale")).isDisplayed()).isTrue();
    browser.findElement(By.cssSelector(".remove-passkey")).click();
    wait.until(ExpectedConditions.titleIs("Sign in"));
    assertThat(authenticator.getCredentials()).as("nothing removed yet").hasSize(1);
    signIn(NEW_PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/account"));
    browser.findElement(By.cssSelector(".remove-passkey")).click();
    assertNotice("The passkey is removed.");
    assertThat(browser.findElements(By.cssSelector("tr.passkey"))).isEmpty();

    // Signed out from the page: the login page, and the session gone.
    String signedIn = browser.manage().getCookieNamed("gh_session").getValue();
    browser.findElement(By.id("sign-out")).click();
    wait.until(ExpectedConditions.titleIs("Sign in"));
    assertThat(browser.manage().getCookieNamed("gh_session")).isNull();
    assertThat(json("/auth/session", null, signedIn).statusCode()).isEqualTo(401);

    List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(Object::toString).filter(line -> line.contains("Content Security Policy")).toList();
    assertThat(violations).isEmpty();
    ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
  }

  /** Waits for the page that shows this notice (the last one may still be on screen). */
  private static void assertNotice(String start) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), start));
    assertThat(text("notice")).startsWith(start);
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static void signIn(String password) {
    browser.findElement(By.id("username")).sendKeys("olga");
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("submit")).click();
  }

  private static String signInOverJson(String password) throws Exception {
    HttpResponse<String> response = json("/auth/login",
        "{\"username\":\"olga\",\"password\":\"" + password + "\"}", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("session_token");
  }

  /** A third-party client, and this user's consent to it through the authorization endpoint. */
  private static void consentToPartner() throws Exception {
    String session = signInOverJson(NEW_PASSWORD);
    assertThat(gw.send(HttpRequest.newBuilder(gw.management("/admin/clients")).header("Authorization", "Bearer " + session)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
            {"client_id":"partner","grants":["authorization_code"],"redirect_uris":["%s"]}""".formatted(CALLBACK)))
        .build()).statusCode()).isEqualTo(201);
    CodeFlow partner = CodeFlow.publicClient(gw, "partner", CALLBACK);
    assertThat(partner.allow(partner.query(""), session).statusCode()).isEqualTo(302);
  }

  /** The code an authenticator app shows now on the server's clock: RFC 6238, SHA-1, 6 digits, 30 s. */
  private static String code(byte[] secret) throws Exception {
    TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6);
    return String.format("%06d", totp.generateOneTimePassword(new SecretKeySpec(secret, "RAW"), CLOCK.instant()));
  }

  private static String pad(String base32) {
    return base32 + "=".repeat((8 - base32.length() % 8) % 8);
  }

  private static HttpResponse<String> json(String path, String body, String session) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gw.http(path)).timeout(Duration.ofSeconds(20));
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    if (session != null) {
      request.header("Authorization", "Bearer " + session);
    }
    return gw.send(request.build());
  }
}
