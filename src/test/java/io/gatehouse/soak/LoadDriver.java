package io.gatehouse.soak;

import io.gatehouse.support.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak's load driver: waits for the instances, sets up accounts and clients through the
 * public API and the admin API, starts scenarios at a steady rate while the {@link FaultSchedule}
 * breaks things, then checks every acknowledged write, and writes the report.
 *
 * <p>{@link #main} runs the scale-out soak of {@code bench/soak.sh}; {@code SoakIT} runs a short one
 * in-process.
 */
public final class LoadDriver {

  private static final Logger LOG = LoggerFactory.getLogger(LoadDriver.class);

  private final SoakTarget target;
  private final SoakSettings settings;
  private final Tally tally;
  private final Promises promises;
  private final ExternalIssuer issuer;
  private final String adminUser;
  private final String adminPassword;

  LoadDriver(SoakTarget target, SoakSettings settings, Tally tally, Promises promises, ExternalIssuer issuer,
      String adminUser, String adminPassword) {
    this.target = target;
    this.settings = settings;
    this.tally = tally;
    this.promises = promises;
    this.issuer = issuer;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
  }

  /** Runs the whole soak under {@code schedule} and writes its report to {@link SoakSettings#out()}. */
  SoakResult run(FaultSchedule schedule) throws Exception {
    ServerErrorCheck errors = new ServerErrorCheck(schedule, promises, tally);
    try (SoakClient client = new SoakClient(tally, errors)) {
      SoakContext soak = new SoakContext(client, target, promises, new AdminApi(client, target, adminUser,
          adminPassword), issuer, settings);
      awaitReady(client, Duration.ofMinutes(3));
      bootstrap(soak);
      ResourceSampler sampler = new ResourceSampler(target, tally, settings.sampleEvery());
      sampler.start();
      RunClock clock = tally.clock();
      double loadStart = clock.elapsed();
      Thread faults = schedule.start(clock, loadStart);
      long skipped = load(soak, loadStart);
      double loadEnd = clock.elapsed();
      schedule.stop();
      faults.join(TimeUnit.MINUTES.toMillis(2));
      LOG.info("load done; every fault healed; waiting for every instance to be ready for the final checks");
      awaitReady(client, Duration.ofMinutes(2));
      // Real time: what an instance that was down learns on its own timers (announcements, polls), with no sign
      // to wait for.
      Thread.sleep(3000);
      soak.refusals.close();
      AcknowledgedWritesCheck.Outcome writes = AcknowledgedWritesCheck.run(soak);
      sampler.stop();
      List<SoakResult.Window> windows = SoakReport.windows(tally, promises, schedule, loadStart, loadEnd);
      SoakResult result = new SoakResult(tally.between(0, clock.now() + 1).requests(), promises.counts(),
          promises.all(), writes.lost(), writes.unverified(), windows, skipped);
      SoakReport.write(settings.out(), settings.label(), settings, result, tally, sampler, schedule, loadStart,
          loadEnd, soak.refusals, writes.checked());
      LOG.info("soak done: {} requests, {} broken promises, {} lost writes; report in {}", result.requests(),
          result.brokenTotal(), result.lostWrites().size(), settings.out());
      return result;
    }
  }

  /** Starts scenarios at {@link SoakSettings#rate()} until the duration is over; returns the starts skipped. */
  private long load(SoakContext soak, double loadStart) throws InterruptedException {
    Workload workload = Workload.standard();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), SoakClient.daemon("soak-scenario"));
    LongAdder skipped = new LongAdder();
    AtomicInteger crashes = new AtomicInteger();
    RunClock clock = tally.clock();
    double end = loadStart + settings.duration().toMillis() / 1000.0;
    long started = 0;
    while (clock.elapsed() < end) {
      long due = (long) ((clock.elapsed() - loadStart) * settings.rate());
      for (; started < due; started++) {
        Scenario scenario = workload.pick();
        try {
          pool.execute(() -> {
            try {
              scenario.run(soak);
            } catch (Exception | AssertionError e) {
              soak.client.failed("scenario error (" + e.getClass().getSimpleName() + ")");
              if (crashes.incrementAndGet() <= 20) {
                LOG.warn("{} failed", scenario.getClass().getSimpleName(), e);
              }
            }
          });
        } catch (RejectedExecutionException e) {
          skipped.increment();
        }
      }
      Thread.sleep(5); // real time: the load is paced at settings.rate() scenario starts per wall-clock second
    }
    pool.shutdown();
    if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
      LOG.warn("scenarios still running two minutes after the load ended");
    }
    return skipped.sum();
  }

  /** Waits until every instance's readiness is 200. */
  private void awaitReady(SoakClient client, Duration atMost) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    for (SoakTarget.Instance instance : target.instances()) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!Eventually.read(() -> isReady(client, instance), ready -> ready, left, Duration.ofMillis(250))) {
        throw new IllegalStateException("instance " + instance.name() + " not ready within " + atMost);
      }
    }
  }

  private static boolean isReady(SoakClient client, SoakTarget.Instance instance) throws InterruptedException {
    try {
      return client.http().send(HttpRequest.newBuilder(instance.management().get().resolve("/health/ready"))
          .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (java.io.IOException e) {
      return false; // not up yet
    }
  }

  /** The OAuth clients and the pool of signed-in accounts the scenarios use. */
  private void bootstrap(SoakContext soak) {
    Answer service = soak.admin.call("POST", "/admin/clients", new JsonObject()
        .put("client_id", SoakContext.SERVICE_CLIENT).put("grants", new JsonArray().add("client_credentials"))
        .put("scopes", new JsonArray().add("svc:read")).put("audiences", new JsonArray()
            .add(SoakContext.SERVICE_AUDIENCE)));
    require(service, 201, "the service client");
    soak.serviceSecret = new JsonObject(service.body()).getString("client_secret");
    require(soak.admin.call("POST", "/admin/clients", new JsonObject().put("client_id", SoakContext.WEB_CLIENT)
        .put("public", true).put("first_party", true)
        .put("grants", new JsonArray().add("authorization_code").add("refresh_token"))
        .put("scopes", new JsonArray().add("openid").add("profile"))
        .put("redirect_uris", new JsonArray().add(SoakContext.REDIRECT_URI))), 201, "the web client");
    for (int i = 0; i < settings.poolUsers(); i++) {
      Ledger.Account account = soak.newAccount("pool");
      JsonObject login = account == null ? null : soak.logIn(account);
      if (login == null) {
        throw new IllegalStateException("could not sign a pool user up and in");
      }
      Answer key = soak.admin.call("POST", "/admin/apikeys", new JsonObject().put("user_id", account.id));
      require(key, 201, "an API key");
      soak.pool.add(new UserPool.PoolUser(account.username, account.passwords.iterator().next(), account.id,
          login.getString("session_token"), login.getString("access_token"),
          new JsonObject(key.body()).getString("key")));
    }
    LOG.info("bootstrap done: {} pool users, clients {} and {}", soak.pool.size(), SoakContext.SERVICE_CLIENT,
        SoakContext.WEB_CLIENT);
  }

  private static void require(Answer answer, int status, String what) {
    if (answer == null || !answer.answered() || answer.status() != status) {
      throw new IllegalStateException("could not create " + what + ": " + answer);
    }
  }

  /**
   * The scale-out soak (run by {@code bench/soak.sh}, which documents the options): starts the
   * upstream, the relays to Redis and PostgreSQL and the external issuer's key file, writes the
   * {@code --ready} file, waits for the instances the script then starts, and soaks them.
   * Exits 0 when no promise was broken and no acknowledged write lost, 1 otherwise.
   */
  public static void main(String[] args) throws Exception {
    Map<String, List<String>> options = options(args);
    Path out = Path.of(one(options, "out", null));
    Duration duration = duration(one(options, "duration", "10m"));
    SoakSettings settings = new SoakSettings(duration, Double.parseDouble(one(options, "rate", "40")),
        Integer.parseInt(one(options, "pool-users", "12")), Integer.parseInt(one(options, "bulk-bytes", "10485760")),
        Integer.parseInt(one(options, "threads", "96")), duration(one(options, "sample-every", "5s")), out,
        one(options, "label", "Gatehouse"));
    RunClock clock = new RunClock();
    Tally tally = new Tally(clock);
    Promises promises = new Promises(clock);
    SoakUpstream upstream = SoakUpstream.start(Integer.parseInt(one(options, "upstream-port", null)), promises);
    String[] redis = one(options, "redis-relay", null).split(":");
    String[] postgres = one(options, "postgres-relay", null).split(":");
    FaultRelay redisRelay = new FaultRelay("Redis", Integer.parseInt(redis[0]), "127.0.0.1",
        Integer.parseInt(redis[1]));
    FaultRelay postgresRelay = new FaultRelay("PostgreSQL", Integer.parseInt(postgres[0]), "127.0.0.1",
        Integer.parseInt(postgres[1]));
    ExternalIssuer issuer = new ExternalIssuer();
    issuer.writeJwks(Path.of(one(options, "issuer-jwks", null)));
    Files.writeString(Path.of(one(options, "ready", null)), "ready\n");

    List<SoakTarget.Instance> instances = new ArrayList<>();
    Map<String, Fault> kills = new HashMap<>();
    for (String spec : options.getOrDefault("instance", List.of())) {
      Map<String, String> fields = fields(spec);
      Path pidFile = Path.of(fields.get("pid-file"));
      URI http = URI.create(fields.get("http"));
      URI management = URI.create(fields.get("management"));
      instances.add(new SoakTarget.Instance(fields.get("name"), () -> http, () -> management, () -> pid(pidFile)));
      kills.put(fields.get("name"), ProcessKill.of("kill -9 instance " + fields.get("name") + ", restart",
          pidFile, List.of("bash", fields.get("start")), Set.of(Allowance.GATEWAY_UNREACHABLE),
          Duration.ofSeconds(40)));
    }
    Fault killRedis = ProcessKill.of("kill -9 Redis, restart (AOF, fsync always)",
        Path.of(one(options, "redis-pid-file", null)), List.of("bash", one(options, "redis-start", null)),
        Set.of(Allowance.STORE_UNAVAILABLE), Duration.ofSeconds(20));
    PostgresRestart postgresRestart = new PostgresRestart(postgresRelay,
        "jdbc:postgresql://127.0.0.1:" + postgres[1] + "/postgres", one(options, "postgres-user", "postgres"),
        one(options, "postgres-database", null));
    SoakTarget target = new SoakTarget(URI.create(one(options, "entry", null)), instances);
    FaultSchedule schedule = one(options, "faults", "scale-out").equals("none") ? new FaultSchedule(List.of())
        : FaultPlans.scaleOut(duration, new FaultPlans.ScaleOut(upstream, kills.get("a"), kills.get("b"),
            killRedis, redisRelay, postgresRelay, postgresRestart));
    String[] admin = one(options, "admin", null).split(":", 2);
    SoakResult result = new LoadDriver(target, settings, tally, promises, issuer, admin[0], admin[1]).run(schedule);
    upstream.close();
    redisRelay.close();
    postgresRelay.close();
    System.exit(result.brokenTotal() == 0 && result.lostWrites().isEmpty() ? 0 : 1);
  }

  private static long pid(Path pidFile) {
    try {
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, List<String>> options(String[] args) {
    Map<String, List<String>> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      options.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[i + 1]);
    }
    return options;
  }

  private static String one(Map<String, List<String>> options, String name, String fallback) {
    List<String> values = options.get(name);
    if (values == null) {
      if (fallback == null) {
        throw new IllegalArgumentException("--" + name + " is required");
      }
      return fallback;
    }
    return values.get(values.size() - 1);
  }

  /** {@code name=a,http=…}: the fields of an {@code --instance}. */
  private static Map<String, String> fields(String spec) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : spec.split(",")) {
      String[] kv = pair.split("=", 2);
      fields.put(kv[0], kv[1]);
    }
    return fields;
  }

  /** {@code 90s}, {@code 10m}, {@code 500ms}. */
  static Duration duration(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("a duration like 90s or 10m: " + text);
    };
  }
}
