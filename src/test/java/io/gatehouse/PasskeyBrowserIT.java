package io.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.support.GatehouseFixture;
import io.gatehouse.support.HeadlessChromium;
import io.gatehouse.support.TestUpstream;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys in Debian's headless Chromium with WebDriver's virtual authenticator (CTAP2, internal,
 * resident keys, user verification): a signed-in user registers a passkey through the endpoints
 * from the page, then signs in on the login page with the button alone, no username or password,
 * and lands on {@code return_to} with a session the protected upstream accepts. The page's inline
 * script runs under its CSP nonce without a violation, and the password form still works beside it.
 * WebAuthn needs a secure context and a domain as RP id: the server listens on
 * {@code http://localhost:<port>}, so the RP id is {@code localhost}. The login page with its passkey
 * button is saved as the README's screenshot ({@link HeadlessChromium#screenshot}).
 */
class PasskeyBrowserIT {


  @TempDir
  static Path data;
  @TempDir
  static Path profile;
  private static TestUpstream upstream;
  private static GatehouseFixture gateway;
  private static ChromeDriver browser;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    upstream = TestUpstream.start("up");
    gateway = GatehouseFixture.startOnLocalhost(data, """
        passkeys: { enabled: true }
        routes:
          - { id: app, path: /app/**, upstream: "${UP}", auth: [session] }
        """, Map.of("UP", upstream.url()), Clock.systemUTC());
    base = gateway.localOrigin();
    HttpRequest signup = HttpRequest.newBuilder(gateway.http("/auth/signup")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"pia\",\"password\":\"browser pass phrase\"}")).build();
    assertThat(gateway.send(signup).statusCode()).isEqualTo(201);

    browser = HeadlessChromium.start(profile, "--window-size=640,820");
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void registersAPasskeyThenSignsInWithItAlone() throws Exception {
    VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
        new VirtualAuthenticatorOptions()
            .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
            .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
            .setHasResidentKey(true)
            .setHasUserVerification(true)
            .setIsUserVerified(true)
            .setIsUserConsenting(true));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));

    // Signed in with the password through the page, as before.
    browser.get(base + "/auth/login?return_to=/app/home");
    assertThat(browser.findElement(By.id("passkey")).isDisplayed()).isTrue();
    browser.findElement(By.id("username")).sendKeys("pia");
    browser.findElement(By.id("password")).sendKeys("browser pass phrase");
    browser.findElement(By.id("submit")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/app/home"));

    // Registration from the page's context: the session cookie and its CSRF token, the browser's WebAuthn.
    Object registered = ((JavascriptExecutor) browser).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const decode = t => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));
        const encode = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
        (async () => {
          const csrf = (await (await fetch('/auth/session')).json()).csrf_token;
          const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf };
          const options = (await (await fetch('/auth/passkeys/options', { method: 'POST', headers, body: '{}' })).json()).publicKey;
          const credential = await navigator.credentials.create({ publicKey: {
            rp: options.rp, challenge: decode(options.challenge),
            user: { id: decode(options.user.id), name: options.user.name, displayName: options.user.displayName },
            pubKeyCredParams: options.pubKeyCredParams, timeout: options.timeout,
            excludeCredentials: options.excludeCredentials.map(c => ({ type: c.type, id: decode(c.id) })),
            authenticatorSelection: options.authenticatorSelection, attestation: options.attestation } });
          const r = credential.response;
          const answer = await fetch('/auth/passkeys', { method: 'POST', headers, body: JSON.stringify({ name: 'Virtual',
            credential: { id: credential.id, rawId: encode(credential.rawId), type: credential.type, clientExtensionResults: {},
              response: { clientDataJSON: encode(r.clientDataJSON), attestationObject: encode(r.attestationObject),
                transports: r.getTransports() } } }) });
          return answer.status + ' ' + await answer.text();
        })().then(done, e => done('failed: ' + e));
        """);
    assertThat(registered.toString()).startsWith("201 ");
    assertThat(authenticator.getCredentials()).hasSize(1);
    assertThat(authenticator.getCredentials().get(0).isResidentCredential()).isTrue();

    // Signed out; then in again with the passkey alone.
    browser.manage().deleteAllCookies();
    browser.get(base + "/auth/login?return_to=/app/home");
    wait.until(ExpectedConditions.titleIs("Sign in"));
    HeadlessChromium.screenshot(browser, "passkey-login.png");
    browser.findElement(By.id("passkey")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/app/home"));
    assertThat(browser.getPageSource()).contains("x-gatehouse-subject");
    assertThat(browser.manage().getCookieNamed("gh_session")).isNotNull();
    assertThat(authenticator.getCredentials().get(0).getSignCount()).isGreaterThan(0);

    List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(Object::toString).filter(line -> line.contains("Content Security Policy")).toList();
    assertThat(violations).isEmpty();
    ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
  }

  @Test
  void aPasskeyTheServerDoesNotKnowShowsAnErrorAndSignsNoOneIn() {
    VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
        new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
            .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
            .setHasUserVerification(true).setIsUserVerified(true));
    try {
      // A resident credential for this RP the server never registered.
      authenticator.addCredential(org.openqa.selenium.virtualauthenticator.Credential.createResidentCredential(
          new byte[] {1, 2, 3, 4}, "localhost", newPrivateKey(), new byte[] {9, 9, 9}, 0));
      browser.manage().deleteAllCookies();
      browser.get(base + "/auth/login");
      browser.findElement(By.id("passkey")).click();
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
      assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-error"))).getText())
          .isEqualTo("This passkey could not sign you in.");
      assertThat(browser.manage().getCookieNamed("gh_session")).isNull();
    } finally {
      ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
    }
  }

  private static java.security.spec.PKCS8EncodedKeySpec newPrivateKey() {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
      generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return new java.security.spec.PKCS8EncodedKeySpec(generator.generateKeyPair().getPrivate().getEncoded());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
