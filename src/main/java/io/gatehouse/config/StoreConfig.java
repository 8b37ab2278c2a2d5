package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Set;

/** Where state lives, {@code store}. Embedded: a data directory ({@code ./data} by default). */
public record StoreConfig(Path dataDir) {

  static StoreConfig read(Section root) {
    Section s = root.section("store", Set.of("embedded"));
    Section embedded = s.section("embedded", Set.of("path"));
    String path = embedded.string("path", "./data");
    if (path.isBlank()) {
      embedded.problem("path", "must not be empty");
      path = "./data";
    }
    return new StoreConfig(Path.of(path));
  }
}
