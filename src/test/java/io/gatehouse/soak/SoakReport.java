package io.gatehouse.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The soak's report: {@code report.md} (totals, each fault window, resources over time) and the
 * series a chart is drawn from: {@code load.tsv}, {@code instances.tsv}, {@code faults.tsv}.
 */
final class SoakReport {

  private SoakReport() {
  }

  /** The load's time line cut at each fault, with its counts and recovery. */
  static List<SoakResult.Window> windows(Tally tally, Promises promises, FaultSchedule schedule, double loadStart,
      double loadEnd) {
    List<SoakResult.Window> windows = new ArrayList<>();
    List<FaultSchedule.Window> faults = schedule.windows();
    double firstFault = faults.isEmpty() ? loadEnd : faults.get(0).injectedAt();
    windows.add(window("no fault (warm-up)", loadStart, firstFault, Double.NaN, null, tally, promises));
    for (int i = 0; i < faults.size(); i++) {
      FaultSchedule.Window fault = faults.get(i);
      double to = i + 1 < faults.size() ? faults.get(i + 1).injectedAt() : loadEnd;
      windows.add(window(fault.name(), fault.injectedAt(), to, fault.healedAt(), fault.problem(), tally, promises));
    }
    return windows;
  }

  private static SoakResult.Window window(String name, double from, double to, double healedAt, String problem,
      Tally tally, Promises promises) {
    int first = (int) Math.floor(from); // whole seconds, each in one window only
    int last = (int) Math.floor(to);
    Tally.Snapshot counts = tally.between(first, last);
    double recovery = Double.NaN;
    if (!Double.isNaN(healedAt)) {
      int failure = tally.lastFailure((int) Math.floor(healedAt), last);
      recovery = failure < 0 ? 0 : failure + 1 >= last ? Double.NaN : Math.max(0, failure + 1 - healedAt);
    }
    return new SoakResult.Window(name, from, to, healedAt, counts.requests(), promises.between(first, last),
        counts.failures(), recovery, problem);
  }

  static void write(Path dir, String label, SoakSettings settings, SoakResult result, Tally tally,
      ResourceSampler sampler, FaultSchedule schedule, double loadStart, double loadEnd,
      RefusalAfterChange refusals, int writesChecked) throws IOException {
    Files.createDirectories(dir);
    StringBuilder load = new StringBuilder("t\tper_second\tp50_ms\tp99_ms\tfailures\n");
    sampler.load.forEach(s -> load.append(f("%.0f\t%.1f\t%.2f\t%.2f\t%d%n", s.at() - loadStart, s.perSecond(),
        s.p50Millis(), s.p99Millis(), s.failures())));
    Files.writeString(dir.resolve("load.tsv"), load);
    StringBuilder instances = new StringBuilder("t\tinstance\tpid\trss_mb\theap_mb\tfds\tthreads\tlag_ms\n");
    sampler.samples.forEach(s -> instances.append(f("%.0f\t%s\t%d\t%.1f\t%.1f\t%d\t%d\t%.2f%n", s.at() - loadStart,
        s.instance(), s.pid(), s.rssMb(), s.heapMb(), s.fds(), s.threads(), s.lagMillis())));
    Files.writeString(dir.resolve("instances.tsv"), instances);
    StringBuilder faults = new StringBuilder("name\tinjected\thealed\n");
    schedule.windows().forEach(w -> faults.append(f("%s\t%.1f\t%.1f%n", w.name(), w.injectedAt() - loadStart,
        w.healedAt() - loadStart)));
    Files.writeString(dir.resolve("faults.tsv"), faults);
    StringBuilder failures = new StringBuilder("t\tkind\tcount\n");
    for (int second = (int) loadStart; second <= (int) loadEnd; second++) {
      int t = second - (int) loadStart;
      tally.between(second, second + 1).failures().forEach((kind, count) -> failures.append(t).append('\t')
          .append(kind).append('\t').append(count).append('\n'));
    }
    Files.writeString(dir.resolve("failures.tsv"), failures);
    Files.writeString(dir.resolve("report.md"), markdown(label, settings, result, tally, sampler, loadStart,
        loadEnd, refusals, writesChecked));
  }

  private static String markdown(String label, SoakSettings settings, SoakResult result, Tally tally,
      ResourceSampler sampler, double loadStart, double loadEnd, RefusalAfterChange refusals, int writesChecked) {
    StringBuilder md = new StringBuilder();
    Tally.Snapshot all = tally.between((int) loadStart, (int) Math.ceil(loadEnd));
    md.append("# Soak report: ").append(label).append("\n\n");
    md.append(f("%s; %.0f s of load at %.0f scenario starts per second (%d driver threads); %d requests, "
            + "%.0f per second; p50 %.1f ms, p99 %.1f ms; %d starts skipped (every driver thread busy).%n%n",
        Instant.ofEpochMilli(tally.clock().startMillis()), loadEnd - loadStart, settings.rate(), settings.threads(),
        result.requests(), all.requests() / Math.max(1, loadEnd - loadStart), all.percentileMillis(0.5),
        all.percentileMillis(0.99), result.skippedStarts()));
    md.append("## Promises\n\n| promise | broken |\n|---|---:|\n");
    result.broken().forEach((kind, count) -> md.append("| ").append(kind.meaning()).append(" | ").append(count)
        .append(" |\n"));
    md.append(f("| **total** | **%d** |%n%n", result.brokenTotal()));
    md.append(f("One-second probes after each acknowledged change: %d refused as promised, %d could not be "
        + "checked (the instance was down or failing).%n%n", refusals.refused.sum(), refusals.unverified.sum()));
    result.breaks().stream().limit(30).forEach(b -> md.append(f("- at %d s: %s: %s%n", (int) (b.second() - loadStart),
        b.kind(), b.detail())));
    md.append(f("%n## Acknowledged writes%n%n%d checks at the end; **%d lost**; %d could not be checked.%n",
        writesChecked, result.lostWrites().size(), result.unverifiedWrites().size()));
    result.lostWrites().stream().limit(30).forEach(l -> md.append("- lost: ").append(l).append('\n'));
    result.unverifiedWrites().stream().limit(10).forEach(l -> md.append("- unchecked: ").append(l).append('\n'));
    md.append("\n## Fault windows\n\nTimes in seconds from the start of the load. A window runs from its fault's "
        + "injection to the next one's. Failures are counted in the second the request was sent (or, when the "
        + "next fault struck while it was under way, in that fault's); recovery runs from healing to the end of "
        + "the last second in which a request was sent that then failed.\n\n"
        + "| window | from | healed | to | requests | broken promises | failures by kind | recovery |\n"
        + "|---|---:|---:|---:|---:|---:|---|---:|\n");
    for (SoakResult.Window w : result.windows()) {
      String failures = w.failures().isEmpty() ? "none" : w.failures().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining("; "));
      String recovery = Double.isNaN(w.healedAt()) ? "–" : Double.isNaN(w.recoverySeconds())
          ? "not within the window" : f("%.1f s", w.recoverySeconds());
      md.append(f("| %s%s | %.0f | %s | %.0f | %d | %d | %s | %s |%n", w.name(),
          w.problem() == null ? "" : " (" + w.problem() + ")", w.from() - loadStart,
          Double.isNaN(w.healedAt()) ? "–" : f("%.0f", w.healedAt() - loadStart), w.to() - loadStart, w.requests(),
          w.broken(), failures, recovery));
    }
    md.append(resources(sampler, loadStart, loadEnd));
    return md.toString();
  }

  /** Per instance process: its resources after warm-up, first, last and highest. */
  private static String resources(ResourceSampler sampler, double loadStart, double loadEnd) {
    double warm = loadStart + Math.min(120, (loadEnd - loadStart) / 5);
    Map<String, List<ResourceSampler.Sample>> byProcess = new LinkedHashMap<>();
    for (ResourceSampler.Sample s : sampler.samples) {
      if (s.at() >= warm && s.pid() > 0 && !Double.isNaN(s.rssMb())) {
        byProcess.computeIfAbsent(s.instance() + " (pid " + s.pid() + ")", k -> new ArrayList<>()).add(s);
      }
    }
    StringBuilder md = new StringBuilder(f("%n## Resources after warm-up (from %.0f s)%n%n", warm - loadStart));
    md.append("| instance process | samples | from – to (s) | RSS MiB first / last / max | heap MiB last / max "
        + "| fds first / last / max | threads first / last / max | event-loop lag ms max |\n"
        + "|---|---:|---|---|---|---|---|---:|\n");
    byProcess.forEach((process, list) -> {
      ResourceSampler.Sample first = list.get(0);
      ResourceSampler.Sample last = list.get(list.size() - 1);
      md.append(f("| %s | %d | %.0f – %.0f | %.0f / %.0f / %.0f | %.0f / %.0f | %d / %d / %d | %d / %d / %d | "
              + "%.1f |%n", process, list.size(), first.at() - loadStart, last.at() - loadStart, first.rssMb(),
          last.rssMb(), list.stream().mapToDouble(ResourceSampler.Sample::rssMb).max().orElse(0), last.heapMb(),
          list.stream().mapToDouble(ResourceSampler.Sample::heapMb).filter(d -> !Double.isNaN(d)).max().orElse(0),
          first.fds(), last.fds(), list.stream().mapToInt(ResourceSampler.Sample::fds).max().orElse(0),
          first.threads(), last.threads(), list.stream().mapToInt(ResourceSampler.Sample::threads).max().orElse(0),
          list.stream().mapToDouble(ResourceSampler.Sample::lagMillis).filter(d -> !Double.isNaN(d)).max()
              .orElse(0)));
    });
    return md.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
