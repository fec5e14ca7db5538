package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.experiment.run.CellLease;
import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.track.MlflowCells;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import io.ablate.tracking.TrackingException;
import io.ablate.tracking.TrackingStore;
import io.ablate.tracking.TrackingUri;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ablate status SPEC}: where every cell of a study stands (done, failed, running, pending),
 * read from the results folder that the cluster's machines share, plus the Slurm jobs submitted for
 * it and the study's runs in MLflow; any machine that sees the folder can ask.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show each cell of a study as done / failed / running / pending (results folder and MLflow).")
public final class StatusCommand implements Callable<Integer> {
  @Mixin
  StudyOptions study;

  @Mixin
  TrackingOptions tracking;

  @Mixin
  PluginPathOption pluginPath;

  @Option(names = "--lease-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "A cell whose lease is older than this counts as pending, not running (default ${DEFAULT-VALUE}).")
  long leaseTimeout;

  @Mixin
  CellStateOption state;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    StudySpec s = SpecLoader.load(study.spec, study.sets);
    StudyPlan plan = study.plan(s, Wiring.registry(pluginPath.directories()));
    PrintWriter out = spec.commandLine().getOut();
    if (state.mlflow()) {
      return fromServer(plan, s, out);
    }
    Map<Cells.State, Integer> counts = new EnumMap<>(Cells.State.class);
    out.printf("%-8s %s%n", "state", "cell");
    for (RunSpec run : plan.runs()) {
      var dir = plan.directory(run);
      Cells.State state = Cells.state(dir, Duration.ofSeconds(leaseTimeout));
      counts.merge(state, 1, Integer::sum);
      String detail = switch (state) {
        case RUNNING -> "  " + CellLease.holder(dir.path()).orElse("");
        case FAILED -> "  " + dir.read().map(RunRecord::failure).orElse("");
        case DONE -> "";
        case PENDING -> dir.read().isPresent() ? "  (interrupted; will be retrained)" : "";
      };
      out.printf("%-8s %s%s%n", state.name().toLowerCase(java.util.Locale.ROOT), Cells.id(plan, run), detail);
    }
    out.printf("%s (results %s)%n", totals(s, plan, counts), plan.dir());
    for (String[] job : SlurmExecutor.jobs(plan.dir())) {
      out.printf("slurm: %s submitted %s cells as job array %s, finishing job %s%n", job[0], job[3], job[1], job[2]);
    }
    tracked(plan).ifPresent(out::println);
    out.flush();
    return 0;
  }

  /** {@code --state mlflow}: each cell's state is its MLflow run's (FINISHED done, FAILED failed, RUNNING running). */
  private int fromServer(StudyPlan plan, StudySpec s, PrintWriter out) {
    Map<Cells.State, Integer> counts = new EnumMap<>(Cells.State.class);
    try (MlflowCells server = CellStateOption.cells(plan, tracking)) {
      out.printf("%-8s %s%n", "state", "cell");
      for (RunSpec run : plan.runs()) {
        Cells.State state = server.state(run);
        counts.merge(state, 1, Integer::sum);
        String detail = server.run(run).map(r -> "  mlflow run " + r.id() + (state == Cells.State.FAILED
            ? " " + r.tags().getOrDefault("ablate.failure", "") : r.status() == RunStatus.KILLED ? " (killed; will "
            + "be re-attached)" : "")).orElse("");
        out.printf("%-8s %s%s%n", state.name().toLowerCase(java.util.Locale.ROOT), Cells.id(plan, run), detail);
      }
      out.printf("%s (state in MLflow: experiment '%s' in %s)%n", totals(s, plan, counts),
          CellStateOption.experiment(plan, tracking), server.describe());
    } catch (TrackingException e) {
      throw new IllegalArgumentException("--state mlflow: cannot read " + CellCommandLine.trackingUri(tracking, plan)
          + ": " + e.getMessage());
    }
    for (String[] job : SlurmExecutor.jobs(plan.dir())) {
      out.printf("slurm: %s submitted %s cells as job array %s, finishing job %s%n", job[0], job[3], job[1], job[2]);
    }
    out.flush();
    return 0;
  }

  private static String totals(StudySpec s, StudyPlan plan, Map<Cells.State, Integer> counts) {
    return String.format("%s: %d cells: %d done, %d failed, %d running, %d pending", s.study(), plan.runs().size(),
        counts.getOrDefault(Cells.State.DONE, 0), counts.getOrDefault(Cells.State.FAILED, 0),
        counts.getOrDefault(Cells.State.RUNNING, 0), counts.getOrDefault(Cells.State.PENDING, 0));
  }

  /** The study's seed runs in its tracking store, counted by status; empty when tracking is off. */
  private Optional<String> tracked(StudyPlan plan) {
    String uri = CellCommandLine.trackingUri(tracking, plan);
    if (uri.equalsIgnoreCase(TrackingUri.NONE)) {
      return Optional.empty();
    }
    String experiment = tracking.experiment != null ? tracking.experiment
        : plan.spec().tracking().experiment() != null ? plan.spec().tracking().experiment() : plan.spec().study();
    try (TrackingStore store = TrackingUri.open(uri).orElseThrow()) {
      Optional<String> id = store.findExperiment(experiment);
      if (id.isEmpty()) {
        return Optional.of("mlflow: no experiment '" + experiment + "' in " + store.describe() + " yet");
      }
      Map<RunStatus, Integer> byStatus = new TreeMap<>();
      List<String> hashes = plan.runs().stream().map(RunSpec::hash).toList();
      for (StoredRun r : store.runs(id.get())) {
        if (r.tag("ablate.seed") != null && hashes.contains(r.tag("ablate.config_hash"))) {
          byStatus.merge(r.status(), 1, Integer::sum);
        }
      }
      Map<String, Integer> shown = new LinkedHashMap<>();
      byStatus.forEach((k, v) -> shown.put(k.name(), v));
      return Optional.of("mlflow: experiment '" + experiment + "' in " + store.describe() + ": " + (shown.isEmpty()
          ? "no runs of these cells yet" : shown.toString().replaceAll("[{}]", "")));
    } catch (TrackingException | IllegalArgumentException e) {
      return Optional.of("mlflow: cannot read " + uri + ": " + e.getMessage());
    }
  }
}
