package io.ablate.experiment.report;

import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.StudyPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A study's results folder read back: its {@link StudyInfo} and the runs found under {@code runs/}.
 *
 * @param dir {@code results/<study>/}
 * @param inferred true when the folder had no {@code study.json} and the variants, their order and
 *     the baseline were guessed from the runs (first variant = baseline)
 */
public record StudyResults(Path dir, StudyInfo info, List<RunResult> runs, boolean inferred) {

  /** The runs of a plan that have a record, in plan order. */
  public static StudyResults of(StudyPlan plan) {
    StudyInfo info = StudyInfo.of(plan);
    return new StudyResults(plan.dir(), info, load(plan.dir(), info.runs()), false);
  }

  /**
   * Reads a results folder alone. With {@code study.json}, exactly the runs it lists (runs left
   * from an older version of the spec are ignored); without it, every run under {@code runs/},
   * keeping one per variant and seed (a finished one, the latest).
   */
  public static StudyResults load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no results folder " + dir);
    }
    var stored = StudyInfo.read(dir);
    if (stored.isPresent()) {
      return new StudyResults(dir, stored.get(), load(dir, stored.get().runs()), false);
    }
    List<RunResult> all = new ArrayList<>();
    Path runs = dir.resolve("runs");
    if (Files.isDirectory(runs)) {
      try (Stream<Path> children = Files.list(runs)) {
        children.filter(Files::isDirectory).sorted().forEach(d -> RunResult.load(d).ifPresent(all::add));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + runs, e);
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no study results in " + dir + ": expected " + StudyInfo.FILE
          + " or runs/*/run.json (run the study with `ablate run` first)");
    }
    Map<String, RunResult> latest = new LinkedHashMap<>();
    for (RunResult r : all) {
      latest.merge(r.variant() + "\u0000" + r.record().seed(), r, StudyResults::better);
    }
    List<RunResult> kept = new ArrayList<>(latest.values());
    kept.sort(Comparator.comparingLong((RunResult r) -> r.record().seed()));
    LinkedHashSet<String> variants = new LinkedHashSet<>();
    LinkedHashSet<Long> seeds = new LinkedHashSet<>();
    kept.forEach(r -> {
      variants.add(r.variant());
      seeds.add(r.record().seed());
    });
    RunRecord first = kept.get(0).record();
    StudyInfo info = new StudyInfo(first.study() == null ? dir.getFileName().toString() : first.study(), "",
        List.copyOf(variants), variants.iterator().next(), List.of(), List.copyOf(seeds),
        kept.stream().map(r -> r.dir().getFileName().toString()).toList());
    return new StudyResults(dir, info, kept, true);
  }

  private static List<RunResult> load(Path dir, List<String> names) {
    List<RunResult> out = new ArrayList<>();
    for (String name : names) {
      RunResult.load(dir.resolve("runs").resolve(name)).ifPresent(out::add);
    }
    return out;
  }

  /** Of two records of the same variant and seed: a finished one, else the later one. */
  private static RunResult better(RunResult a, RunResult b) {
    if (a.finished() != b.finished()) {
      return a.finished() ? a : b;
    }
    String ea = Objects.requireNonNullElse(a.record().ended(), Objects.requireNonNullElse(a.record().started(), ""));
    String eb = Objects.requireNonNullElse(b.record().ended(), Objects.requireNonNullElse(b.record().started(), ""));
    return eb.compareTo(ea) > 0 ? b : a;
  }

  /** Records of every run found, for {@link Summary#of}. */
  public List<RunRecord> records() {
    return runs.stream().map(RunResult::record).toList();
  }

  /** Finished runs of one variant, in seed order. */
  public List<RunResult> finished(String variant) {
    return runs.stream().filter(r -> r.finished() && r.variant().equals(variant))
        .sorted(Comparator.comparingLong(r -> r.record().seed())).toList();
  }

  public Summary summary() {
    return Summary.of(info.study(), info.variants(), info.baseline(), info.metrics(), records());
  }
}
