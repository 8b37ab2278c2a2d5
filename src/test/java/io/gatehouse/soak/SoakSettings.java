package io.gatehouse.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a soak runs.
 *
 * @param duration how long the load lasts (the faults are spread over it)
 * @param rate scenarios started per second (each sends one to a few dozen requests)
 * @param poolUsers accounts signed in at the start, whose credentials the steady scenarios use
 * @param bulkBytes the size of each large upload and download (10 MiB)
 * @param threads scenarios under way at most; a start that finds none free is skipped and counted
 * @param sampleEvery how often the instances' resources are sampled
 * @param out where the report and its series are written
 * @param label what is soaked, for the report's title (a commit, a machine)
 */
public record SoakSettings(Duration duration, double rate, int poolUsers, int bulkBytes, int threads,
    Duration sampleEvery, Path out, String label) {
}
