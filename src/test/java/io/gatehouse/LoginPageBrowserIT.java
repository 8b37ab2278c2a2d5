package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.CodeFlow;
import io.gatehouse.support.GatewayWithUpstream;
import io.gatehouse.support.HeadlessChromium;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The login page in Debian's headless Chromium: it renders under its CSP, a wrong password shows
 * the generic error, and a right one sets the session cookie and lands on {@code return_to},
 * where the protected upstream sees the user.
 */
class LoginPageBrowserIT {


  @TempDir
  static Path data;
  @TempDir
  static Path profile;
  private static GatewayWithUpstream env;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    env = GatewayWithUpstream.start(data, """
        signup: { default_roles: [admin] }
        routes:
          - { id: app, path: /app/**, upstream: "${UP}", auth: [session] }
        """, Map.of());
    HttpRequest signup = HttpRequest.newBuilder(env.gateway.http("/auth/signup")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"uma\",\"password\":\"browser pass phrase\"}")).build();
    assertThat(env.gateway.send(signup).statusCode()).isEqualTo(201);

    browser = HeadlessChromium.start(profile);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void signsInAndConsentsOnTheWayToAThirdPartyApp() throws Exception {
    String base = "http://127.0.0.1:" + env.gateway.gatehouse.httpPort();
    String callback = env.upstream.url() + "/cb";
    HttpRequest login = HttpRequest.newBuilder(env.gateway.http("/auth/login")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"uma\",\"password\":\"browser pass phrase\"}")).build();
    String admin = new io.vertx.core.json.JsonObject(env.gateway.send(login).body()).getString("session_token");
    HttpRequest register = HttpRequest.newBuilder(env.gateway.management("/admin/clients"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"partner\",\"public\":true,"
            + "\"grants\":[\"authorization_code\"],\"scopes\":[\"books:read\"],\"redirect_uris\":[\"" + callback + "\"]}"))
        .build();
    assertThat(env.gateway.send(register).statusCode()).isEqualTo(201);

    browser.manage().deleteAllCookies();
    String authorize = base + "/oauth2/authorize?"
        + CodeFlow.publicClient(env.gateway, "partner", callback).query("&scope=books%3Aread");
    browser.get(authorize);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    wait.until(ExpectedConditions.titleIs("Sign in"));
    browser.findElement(By.id("username")).sendKeys("uma");
    browser.findElement(By.id("password")).sendKeys("browser pass phrase");
    browser.findElement(By.id("submit")).click();

    wait.until(ExpectedConditions.titleIs("Allow access?"));
    assertThat(browser.findElement(By.id("client")).getText()).isEqualTo("partner");
    assertThat(browser.findElement(By.id("scopes")).getText()).isEqualTo("books:read");
    assertThat(browser.findElement(By.id("allow")).getCssValue("background-color")).isEqualTo("rgba(31, 95, 191, 1)");
    browser.findElement(By.id("allow")).click();
    wait.until(ExpectedConditions.urlContains("/cb?code="));
    assertThat(browser.getCurrentUrl()).startsWith(callback + "?code=").contains("state=" + CodeFlow.STATE)
        .contains("iss=");

    browser.get(authorize);
    wait.until(ExpectedConditions.urlContains("/cb?code="));
    List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(Object::toString).filter(line -> line.contains("Content Security Policy")).toList();
    assertThat(violations).isEmpty();
  }

  @Test
  void signsInThroughThePage() {
    browser.manage().deleteAllCookies();
    String base = "http://127.0.0.1:" + env.gateway.gatehouse.httpPort();
    browser.get(base + "/auth/login?return_to=/app/home");
    assertThat(browser.getTitle()).isEqualTo("Sign in");
    // The page's one inline style is allowed by its nonce, so the CSP did not strip the look.
    assertThat(browser.findElement(By.id("submit")).getCssValue("background-color")).isEqualTo("rgba(31, 95, 191, 1)");
    List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(Object::toString).filter(line -> line.contains("Content Security Policy")).toList();
    assertThat(violations).isEmpty();

    browser.findElement(By.id("username")).sendKeys("uma");
    browser.findElement(By.id("password")).sendKeys("not the pass phrase");
    browser.findElement(By.id("submit")).click();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error"))).getText())
        .isEqualTo("The username or password is not correct.");
    assertThat(browser.manage().getCookieNamed("gh_session")).isNull();

    browser.findElement(By.id("password")).sendKeys("browser pass phrase");
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/app/home"));
    assertThat(browser.getPageSource()).contains("x-gatehouse-subject");
    Cookie session = browser.manage().getCookieNamed("gh_session");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Lax");
    assertThat(session.getPath()).isEqualTo("/");
  }
}
