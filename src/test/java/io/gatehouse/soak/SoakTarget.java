package io.gatehouse.soak;

import java.net.URI;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Gatehouse under soak: where the load goes ({@code entry}: a load balancer, or the one
 * instance) and each instance, addressed directly for the promise probes, the admin API and the
 * resource samples. An instance's addresses and process id are read each time: a restart may
 * change them.
 */
public record SoakTarget(URI entry, List<Instance> instances) {

  /**
   * @param pid the process to sample ({@code /proc/<pid>}), or -1 when unknown or down
   */
  public record Instance(String name, Supplier<URI> http, Supplier<URI> management, LongSupplier pid) {
  }

  public URI entry(String pathAndQuery) {
    return entry.resolve(pathAndQuery);
  }
}
