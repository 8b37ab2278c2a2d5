package io.gatehouse.soak;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** What scenarios share: the client, the target, the checks and the credentials set up at the start. */
final class SoakContext {

  static final String SERVICE_CLIENT = "soak-service";
  static final String SERVICE_AUDIENCE = "soak-svc";
  static final String WEB_CLIENT = "soak-web";
  static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
  static final int LIMIT = 5;
  static final double LIMIT_WINDOW_SECONDS = 10;

  final SoakClient client;
  final SoakTarget target;
  final Promises promises;
  final Ledger ledger;
  final RefusalAfterChange refusals;
  final AdminApi admin;
  final UserPool pool = new UserPool();
  final ExternalIssuer issuer;
  final SoakSettings settings;
  /** A prefix no other run uses, so names never clash with a previous run's on a shared database. */
  final String run;
  volatile String serviceSecret;
  private final AtomicLong names = new AtomicLong();

  SoakContext(SoakClient client, SoakTarget target, Promises promises, AdminApi admin, ExternalIssuer issuer,
      SoakSettings settings) {
    this.client = client;
    this.target = target;
    this.promises = promises;
    this.ledger = new Ledger();
    this.refusals = new RefusalAfterChange(client, target, promises);
    this.admin = admin;
    this.issuer = issuer;
    this.settings = settings;
    this.run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  }

  URI entry(String pathAndQuery) {
    return target.entry(pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(entry(pathAndQuery)).timeout(SoakClient.TIMEOUT);
  }

  /** A request toward an upstream, carrying identity headers the upstream must never see. */
  HttpRequest.Builder proxied(String pathAndQuery) {
    return request(pathAndQuery)
        .header("X-Gatehouse-Subject", SoakUpstream.FORGED)
        .header("X-Gatehouse-Roles", SoakUpstream.FORGED)
        .header("X_Gatehouse_Client", SoakUpstream.FORGED);
  }

  static HttpRequest.BodyPublisher json(JsonObject body) {
    return HttpRequest.BodyPublishers.ofString(body.encode());
  }

  String newName(String kind) {
    return kind + "-" + run + "-" + names.incrementAndGet();
  }

  static String password() {
    return "soak pass phrase " + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  Answer signUp(String username, String password) {
    return client.send("signup", request("/auth/signup").header("Content-Type", "application/json")
        .POST(json(new JsonObject().put("username", username).put("password", password))).build());
  }

  Answer logIn(String username, String password) {
    return client.send("login", request("/auth/login").header("Content-Type", "application/json")
        .POST(json(new JsonObject().put("username", username).put("password", password))).build());
  }

  /** Signs a new account up and into the ledger; null when the signup was not acknowledged. */
  Ledger.Account newAccount(String kind) {
    String username = newName(kind);
    String password = password();
    Answer signup = signUp(username, password);
    if (!client.expect(signup, 201)) {
      return null;
    }
    return ledger.signedUp(username, new JsonObject(signup.body()).getString("id"), password);
  }

  /** The JSON of a login of {@code account}, or null when it did not succeed. */
  JsonObject logIn(Ledger.Account account) {
    String password;
    synchronized (account) {
      password = account.passwords.iterator().next();
    }
    Answer login = logIn(account.username, password);
    return client.expect(login, 200) ? new JsonObject(login.body()) : null;
  }

  /** Sends bytes of random content. */
  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) {
    return BodyPattern.hex(BodyPattern.sha256().digest(bytes));
  }
}
