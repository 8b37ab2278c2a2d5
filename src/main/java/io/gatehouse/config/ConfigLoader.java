package io.gatehouse.config;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads YAML config into an immutable {@link Config}, substituting {@code ${ENV}} references and
 * reporting every error with file, line and key path ({@code gatehouse.yaml:12: routes[2].timeout: …}).
 */
public final class ConfigLoader {

  /** A config file is small; refusing big ones keeps a wrong path (a log, a dump) from eating memory. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  private static final Set<String> ROOT_KEYS = Set.of("issuer", "server", "management", "store", "sessions", "tokens",
      "signup", "identity", "cors", "rate_limits", "issuers", "routes", "reload", "shutdown", "tracing",
      "passkeys");

  private final Map<String, String> environment;

  /** @param environment the variables {@code ${NAME}} resolves against, normally {@code System.getenv()} */
  public ConfigLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The configuration of an empty file. */
  public static Config defaults() {
    try {
      return new ConfigLoader(Map.of()).parse("", "defaults");
    } catch (ConfigException e) {
      throw new IllegalStateException("the defaults must be valid", e);
    }
  }

  public Config load(Path file) throws ConfigException {
    return parseFile(file.toString(), read(file));
  }

  /**
   * The file's bytes, bounded, for {@link #parseFile}: a {@link ConfigSource} keeps
   * them to tell what was loaded by its digest.
   */
  static byte[] read(Path file) throws ConfigException {
    String name = file.toString();
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigException(List.of(name + ": larger than " + MAX_FILE_BYTES + " bytes; is this the config file?"));
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(name + ": cannot read (" + e.getClass().getSimpleName() + ")"));
    }
    return bytes;
  }

  /** Parses a config file's bytes: strict UTF-8, then YAML; {@code name} is what errors cite. */
  Config parseFile(String name, byte[] bytes) throws ConfigException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(List.of(name + ": not valid UTF-8"));
    }
    return parse(text, name);
  }

  public Config parse(String yaml, String sourceName) throws ConfigException {
    ConfigProblems problems = new ConfigProblems(sourceName);
    ConfigNode root = new YamlTreeReader(new EnvSubstitution(environment), problems).read(yaml);
    problems.throwIfAny();
    Section s = new Section(root, problems, ROOT_KEYS);
    URI issuer = s.httpUrl("issuer", URI.create("https://localhost:8443"));
    ServerConfig server = ServerConfig.read(s);
    ManagementConfig management = ManagementConfig.read(s, server.https());
    StoreConfig store = StoreConfig.read(s);
    SessionsConfig sessions = SessionsConfig.read(s);
    TokensConfig tokens = TokensConfig.read(s);
    SignupConfig signup = SignupConfig.read(s);
    IdentityConfig identity = IdentityConfig.read(s);
    CorsConfig cors = CorsConfig.read(s);
    List<IssuerConfig> issuers = issuers(s);
    RateLimitsConfig rateLimits = RateLimitsConfig.read(s);
    List<RouteConfig> routes = routes(s, issuers);
    ReloadConfig reload = ReloadConfig.read(s);
    ShutdownConfig shutdown = ShutdownConfig.read(s);
    TracingConfig tracing = TracingConfig.read(s);
    PasskeysConfig passkeys = PasskeysConfig.read(s, issuer);
    problems.throwIfAny();
    return new Config(issuer, server, management, store, sessions, tokens, signup, identity, cors, issuers, rateLimits,
        routes, reload, shutdown, tracing, passkeys);
  }

  private static List<IssuerConfig> issuers(Section root) {
    return namedList(root, "issuers", "issuer", "name", IssuerConfig.keys(), IssuerConfig::read, IssuerConfig::name);
  }

  private static List<RouteConfig> routes(Section root, List<IssuerConfig> issuers) {
    return namedList(root, "routes", "route", "id", RouteConfig.keys(), s -> {
      RouteConfig route = RouteConfig.read(s);
      for (AuthMethod method : route.auth()) {
        if (method.issuer() != null && issuers.stream().noneMatch(i -> method.issuer().equals(i.name()))) {
          s.problem("auth", "'" + method + "' names no entry of issuers");
        }
      }
      return route;
    }, RouteConfig::id);
  }

  /**
   * A list of mappings, each read by {@code reader}, whose {@code nameKey} values must be unique
   * (a repeated one is reported with the line of the first).
   */
  private static <T> List<T> namedList(Section root, String key, String what, String nameKey, Set<String> keys,
      Function<Section, T> reader, Function<T, String> nameOf) {
    ConfigNode node = root.get(key);
    if (node.kind() != ConfigNode.Kind.LIST && !node.isAbsent()) {
      root.problem(key, "expected a list of " + key + ", got " + node.describe());
      return List.of();
    }
    List<T> out = new ArrayList<>();
    Map<String, ConfigNode> seen = new HashMap<>();
    for (ConfigNode item : node.items()) {
      Section s = new Section(item, root.problems(), keys);
      if (item.kind() != ConfigNode.Kind.MAP) {
        continue;
      }
      T value = reader.apply(s);
      String name = nameOf.apply(value);
      if (name != null) {
        ConfigNode first = seen.putIfAbsent(name, s.get(nameKey));
        if (first != null) {
          s.problem(nameKey, "duplicate " + what + " " + nameKey + " '" + name + "' (first defined at line " + first.line() + ")");
        }
      }
      out.add(value);
    }
    return List.copyOf(out);
  }
}
