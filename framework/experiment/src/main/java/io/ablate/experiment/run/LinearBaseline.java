package io.ablate.experiment.run;

import io.ablate.core.plugin.Registry;
import io.ablate.spi.task.BagOfTokens;
import io.ablate.spi.task.Evaluation;
import io.ablate.tensor.Rng;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A Tribuo logistic regression on bag-of-tokens counts, trained per seed on the baseline variant's
 * task, reported beside the Transformer variants of classification studies: the score a model that
 * ignores order gets.
 */
public final class LinearBaseline {
  /** Tribuo logs every 1000 SGD iterations at INFO through java.util.logging: not for the study's console. */
  private static final java.util.logging.Logger TRIBUO_LOG = quietTribuo();

  private static java.util.logging.Logger quietTribuo() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.tribuo");
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  /** Its row name in summaries. */
  public static final String VARIANT = "tribuo-linear";

  private LinearBaseline() {}

  /** One finished record per seed, or none when the study's task does not expose {@link BagOfTokens}. */
  public static List<RunRecord> run(StudyPlan plan, Registry registry) {
    List<RunRecord> records = new ArrayList<>();
    for (long seed : plan.spec().seeds()) {
      long start = System.nanoTime();
      try (Rng rng = new Rng(seed)) {
        Map<String, Object> config = plan.baseline().config();
        TaskSetup.Created created = TaskSetup.create(registry, config, rng);
        if (!(created.task() instanceof BagOfTokens data)) {
          return List.of();
        }
        created.prepare(seed, false);
        Map<String, Double> metrics = evaluate(data);
        records.add(new RunRecord(plan.spec().study(), VARIANT + "--seed-" + seed, VARIANT, Map.of(), seed, "",
            RunKeys.codeVersion(), Provenance.current().commit(),
            Provenance.current().commit() == null ? null : Provenance.current().dirty(), Map.of("tribuo", "4.3.2"), Map.of("baseline", "bag-of-tokens logistic regression"),
            RunRecord.FINISHED, null, null, 0, 0, "tribuo", (System.nanoTime() - start) / 1e9, 0, 0, metrics,
            Instant.now().toString(), Instant.now().toString()));
      }
    }
    return records;
  }

  /**
   * Runs the baseline (skipped for seeds already stored) and stores each seed as a run directory
   * {@code runs/tribuo-linear--seed-<n>}, listed in {@code study.json} as one more variant.
   *
   * @return whether the study's task had a bag-of-tokens view (and so a baseline)
   */
  public static boolean runAndStore(StudyPlan plan, Registry registry) {
    List<String> dirs = new ArrayList<>();
    List<Long> missing = new ArrayList<>();
    for (long seed : plan.spec().seeds()) {
      String name = VARIANT + "--seed-" + seed;
      dirs.add(name);
      if (!java.nio.file.Files.exists(plan.dir().resolve("runs").resolve(name).resolve("run.json"))) {
        missing.add(seed);
      }
    }
    if (!missing.isEmpty()) {
      List<RunRecord> records = run(plan, registry);
      if (records.isEmpty()) {
        return false;
      }
      for (RunRecord r : records) {
        java.nio.file.Path dir = plan.dir().resolve("runs").resolve(r.run());
        try {
          java.nio.file.Files.createDirectories(dir);
          RunDirectory.JSON.writeValue(dir.resolve("run.json").toFile(), r);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("cannot write " + dir, e);
        }
      }
    }
    io.ablate.experiment.report.StudyInfo info = io.ablate.experiment.report.StudyInfo.of(plan);
    List<String> variants = new ArrayList<>(info.variants());
    variants.add(VARIANT);
    List<String> runs = new ArrayList<>(info.runs());
    runs.addAll(dirs);
    new io.ablate.experiment.report.StudyInfo(info.study(), info.description(), variants, info.baseline(),
        info.metrics(), info.seeds(), runs).write(plan.dir());
    return true;
  }

  /** Trains on the training split, predicts the held-out split; accuracy, macro-F1, confusion (Tribuo). */
  static Map<String, Double> evaluate(BagOfTokens data) {
    LabelFactory factory = new LabelFactory();
    List<Example<Label>> train = examples(data.trainTokens(), data.trainLabels(), data.labels());
    MutableDataset<Label> dataset = new MutableDataset<>(new ListDataSource<>(train, factory,
        new SimpleDataSourceProvenance("bag of tokens", factory)));
    Model<Label> model = new LogisticRegressionTrainer().train(dataset);
    List<Prediction<Label>> predictions = model.predict(examples(data.evalTokens(), data.evalLabels(), data.labels()));
    int[] predicted = new int[predictions.size()];
    for (int i = 0; i < predicted.length; i++) {
      predicted[i] = data.labels().indexOf(predictions.get(i).getOutput().getLabel());
    }
    return ClassificationMetrics.of(new Evaluation.Predictions(predicted, data.evalLabels(), data.labels()));
  }

  private static List<Example<Label>> examples(List<int[]> tokens, int[] labels, List<String> names) {
    List<Example<Label>> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Map<Integer, Integer> counts = new HashMap<>();
      for (int id : tokens.get(i)) {
        counts.merge(id, 1, Integer::sum);
      }
      ArrayExample<Label> example = new ArrayExample<>(new Label(names.get(labels[i])));
      counts.forEach((id, n) -> example.add("token-" + id, n));
      out.add(example);
    }
    return out;
  }
}
