package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.Summary;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import org.junit.jupiter.api.io.TempDir;

/** Whole (tiny) studies trained with the built-in components: skipping, restarting, failures, validation. */
class StudyRunnerTest {
  private static Registry registry;

  @TempDir
  Path dir;

  @BeforeAll
  static void load() {
    registry = Wiring.builtins();
  }

  private static final String SPEC = """
      study: tiny
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 6, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 12, batch: 8, lr: 3e-3, eval_every: 6}
      ablate:
        grid:
          model.positional.type: [none, sinusoidal]
      baseline: {model.positional.type: sinusoidal}
      seeds: [1, 2]
      metrics: [exact_match, loss]
      """;

  private StudyPlan plan(String yaml, List<String> sets) throws IOException {
    Path spec = dir.resolve("study.yaml");
    Files.writeString(spec, yaml);
    StudySpec s = SpecLoader.load(spec, sets);
    StudyPlan plan = StudyPlan.of(s, dir.resolve("results"));
    StudyValidator.validate(s, plan.variants(), registry);
    return plan;
  }

  private static List<StudyRunner.Outcome> run(StudyPlan plan, int workers) {
    return new StudyRunner(registry, workers).run(plan, RunListener.NONE);
  }

  @Test
  void trainsEveryRunOnceAndSkipsFinishedOnesWhenRunAgain() throws IOException {
    StudyPlan plan = plan(SPEC, List.of());
    assertEquals(List.of("positional=none--seed-1", "positional=sinusoidal--seed-1", "positional=none--seed-2",
        "positional=sinusoidal--seed-2"), plan.runs().stream().map(RunSpec::id).toList(), "interleaved by seed");
    List<StudyRunner.Outcome> first = run(plan, 2);
    for (StudyRunner.Outcome o : first) {
      assertFalse(o.skipped());
      assertEquals(RunRecord.FINISHED, o.record().status(), o.record().failure());
      assertEquals(12, o.record().steps());
      assertTrue(o.record().parameters() > 0);
      assertTrue(o.record().metrics().containsKey("exact_match@len=6"), o.record().metrics().keySet().toString());
      assertTrue(Files.size(plan.directory(o.run()).file("metrics.jsonl")) > 0);
      assertTrue(Files.exists(plan.directory(o.run()).file("model.ckpt")));
      assertTrue(Files.exists(plan.directory(o.run()).file("tokenizer.txt")));
    }
    List<FileTime> times = new ArrayList<>();
    for (RunSpec r : plan.runs()) {
      times.add(Files.getLastModifiedTime(plan.directory(r).file("run.json")));
    }
    List<StudyRunner.Outcome> again = run(plan, 1);
    assertTrue(again.stream().allMatch(StudyRunner.Outcome::skipped));
    for (int i = 0; i < plan.runs().size(); i++) {
      assertEquals(times.get(i), Files.getLastModifiedTime(plan.directory(plan.runs().get(i)).file("run.json")));
    }
    try (var dirs = Files.list(plan.dir().resolve("runs"))) {
      assertEquals(4, dirs.count(), "no duplicate run directories");
    }
    Summary summary = Summary.of("tiny", List.of("positional=none", "positional=sinusoidal"), "positional=sinusoidal",
        List.of("exact_match", "loss"), again.stream().map(StudyRunner.Outcome::record).toList());
    assertEquals(2, summary.get("positional=none", "loss").n());
    assertEquals("exact_match", summary.primary());
  }

  @Test
  void aRunTrainedByOtherCodeIsStaleAndRetrainedOnlyWhenAsked() throws IOException {
    assumeTrue(Provenance.current().commit() != null, "built outside git: no commit to compare");
    StudyPlan plan = plan(SPEC, List.of("seeds=[5]", "base.train.steps=2"));
    RunRecord trained = run(plan, 1).get(0).record();
    assertEquals(Provenance.current().commit(), trained.gitCommit());
    assertTrue(Files.readString(plan.directory(plan.runs().get(0)).file("run.json")).contains("\"status\" : \"finished\""));
    assertFalse(Provenance.stale(trained));
    RunDirectory d = plan.directory(plan.runs().get(0));
    RunRecord old = new RunRecord(trained.study(), trained.run(), trained.variant(), trained.factors(), trained.seed(),
        trained.hash(), trained.codeVersion(), "0000000000000000000000000000000000000000", false,
        trained.pluginVersions(), trained.config(), trained.status(), null, null, trained.parameters(),
        trained.flopsPerToken(), trained.backend(), trained.wallSeconds(), trained.tokensPerSecond(), trained.steps(),
        trained.metrics(), trained.started(), trained.ended());
    d.write(old);
    assertTrue(Provenance.stale(d.read().orElseThrow()));
    assertTrue(run(plan, 1).get(0).skipped(), "kept unless asked");
    StudyRunner.Outcome again = new StudyRunner(registry, 1).rerunStale(true).run(plan, RunListener.NONE).get(0);
    assertFalse(again.skipped(), "--rerun-stale trains it again");
    assertEquals(Provenance.current().commit(), d.read().orElseThrow().gitCommit());
  }

  @Test
  void sameSeedGivesTheSameRunAndAnInterruptedRunRestarts() throws IOException {
    StudyPlan plan = plan(SPEC, List.of("seeds=[3]"));
    RunRecord original = run(plan, 1).get(0).record();
    RunDirectory d = plan.directory(plan.runs().get(0));
    RunRecord interrupted = new RunRecord(original.study(), original.run(), original.variant(), original.factors(),
        original.seed(), original.hash(), original.codeVersion(), original.gitCommit(), original.gitDirty(), original.pluginVersions(), original.config(),
        RunRecord.RUNNING, null, null, 0, 0, "", 0, 0, 5, Map.of(), original.started(), null);
    d.write(interrupted);
    List<StudyRunner.Outcome> again = run(plan, 1);
    assertFalse(again.get(0).skipped(), "the interrupted run is trained again");
    assertTrue(again.get(1).skipped(), "the finished one is not");
    assertEquals(original.metrics(), again.get(0).record().metrics(), "same seed, same numbers");
  }

  @Test
  void aDivergingRunFailsWithItsStepAndTheStudyGoesOn() throws IOException {
    String spec = SPEC.replace("ablate:\n", "ablate:\n  overrides:\n    - when: {model.positional.type: none}\n"
        + "      set: {train.lr: 1e6, train.clip: 0}\n");
    StudyPlan plan = plan(spec, List.of("seeds=[1]"));
    List<StudyRunner.Outcome> outcomes = run(plan, 1);
    RunRecord failed = outcomes.get(0).record();
    assertEquals(RunRecord.FAILED, failed.status());
    assertNotNull(failed.failedStep());
    assertTrue(failed.failure().contains("at step " + failed.failedStep()), failed.failure());
    assertEquals(RunRecord.FINISHED, outcomes.get(1).record().status());
    assertTrue(run(plan, 1).stream().allMatch(StudyRunner.Outcome::skipped), "a failed run is not retried");
  }

  @Test
  void aComponentThatThrowsFailsOnlyItsOwnRun() throws IOException {
    StudyPlan plan = plan(SPEC, List.of("seeds=[1]"));
    // bypass validation: heads that do not divide d_model make the model's constructor throw at run time
    StudyPlan broken = StudyPlan.of(SpecLoader.load(dir.resolve("study.yaml"),
        List.of("seeds=[1]", "base.model.heads=3")), dir.resolve("results"));
    List<StudyRunner.Outcome> outcomes = run(broken, 1);
    assertTrue(outcomes.stream().allMatch(o -> RunRecord.FAILED.equals(o.record().status())));
    assertTrue(outcomes.get(0).record().failure().contains("divisible"), outcomes.get(0).record().failure());
    assertEquals(RunRecord.FINISHED, run(plan, 1).get(0).record().status());
  }

  @Test
  void validationLocatesUnknownNamesInTheFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> plan(SPEC.replace("[none, sinusoidal]",
        "[nnoe, sinusoidal]"), List.of()));
    assertTrue(e.getMessage().startsWith(dir.resolve("study.yaml") + ":9:5: "), e.getMessage());
    assertTrue(e.getMessage().contains("unknown positional 'nnoe' — did you mean 'none'?"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> plan(SPEC.replace("layers: 1", "layrs: 1"), List.of()));
    assertTrue(e.getMessage().contains(":5:"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key 'layrs' — did you mean 'layers'?"), e.getMessage());
  }
}
