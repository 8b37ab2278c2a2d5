package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML text with Jackson into a {@link ConfigNode} tree that remembers each value's line,
 * applying {@link EnvSubstitution} to every scalar.
 *
 * <p>Duplicate keys are errors (YAML 1.2 requires unique keys; silently keeping the last one hides typos).
 */
final class YamlTreeReader {

  private static final YAMLFactory YAML = YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final EnvSubstitution env;
  private final ConfigProblems problems;

  YamlTreeReader(EnvSubstitution env, ConfigProblems problems) {
    this.env = env;
    this.problems = problems;
  }

  /** Returns the document's root, an empty mapping for an empty document, or null after a syntax error. */
  ConfigNode read(String text) {
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return ConfigNode.map("", 1, Map.of());
      }
      return value(parser, "");
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      problems.add(line, "", "invalid YAML: " + e.getOriginalMessage());
      return null;
    } catch (IOException e) {
      problems.add(1, "", "unreadable YAML: " + e.getMessage());
      return null;
    }
  }

  private ConfigNode value(JsonParser parser, String path) throws IOException {
    int line = parser.currentTokenLocation().getLineNr();
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String childPath = path.isEmpty() ? key : path + "." + key;
          parser.nextToken();
          entries.put(key, value(parser, childPath));
        }
        return ConfigNode.map(path, line, entries);
      }
      case START_ARRAY -> {
        List<ConfigNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(parser, path + "[" + items.size() + "]"));
        }
        return ConfigNode.list(path, line, items);
      }
      case VALUE_NULL -> {
        return ConfigNode.absent(path, line);
      }
      default -> {
        ConfigNode raw = ConfigNode.scalar(path, line, parser.getText());
        return ConfigNode.scalar(path, line, env.apply(raw, problems));
      }
    }
  }
}
