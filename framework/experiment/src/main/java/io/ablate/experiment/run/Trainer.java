package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.Checkpoint;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.plugin.LoadedPlugin;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.Sections;
import io.ablate.experiment.train.Optimizers;
import io.ablate.experiment.train.TrainConfig;
import io.ablate.spi.model.Batch;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.Threads;
import io.ablate.tensor.optim.GradClip;
import io.ablate.tensor.optim.LrSchedule;
import io.ablate.tensor.optim.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one run: task and tokenizer, model, optimisation loop, periodic evaluation, final
 * checkpoint. A NaN/Inf or diverging loss, or any exception from a plugin, ends this run as failed
 * with the step and reason; it never escapes to the study.
 */
public final class Trainer {
  private final Registry registry;
  private int concurrentRuns = 1;
  private int fixedThreads;

  public Trainer(Registry registry) {
    this.registry = registry;
  }

  /**
   * How many runs train at once in this process (they share its cores), and a fixed thread count
   * per run; {@code fixedThreads} 0 chooses per model ({@link Threads#forRun}).
   */
  public Trainer threads(int concurrentRuns, int fixedThreads) {
    this.concurrentRuns = Math.max(1, concurrentRuns);
    this.fixedThreads = Math.max(0, fixedThreads);
    return this;
  }

  /**
   * @param studyMetrics the study's {@code metrics:} (the first is the primary one, which
   *     {@code train.select: best} compares on its validation split); may be empty
   */
  public RunRecord run(RunSpec run, RunDirectory dir, RunListener listener, List<String> studyMetrics) {
    Shutdown.watch();
    long startNanos = System.nanoTime();
    String started = Instant.now().toString();
    Progress progress = new Progress();
    RunRecord record = record(run, RunRecord.RUNNING, null, null, progress, started, null, startNanos);
    dir.write(record);
    try (RunDirectory.MetricsLog metrics = dir.openMetrics((step, name, value) -> listener.metric(run, step, name,
        value))) {
      train(run, dir, listener, metrics, progress, studyMetrics);
      record = record(run, RunRecord.FINISHED, null, null, progress, started, Instant.now().toString(), startNanos);
    } catch (RunFailure f) {
      record = record(run, RunRecord.FAILED, f.getMessage(), f.step, progress, started, Instant.now().toString(),
          startNanos);
    } catch (RuntimeException | Error e) {
      if (Shutdown.inProgress()) {
        throw e;                            // interrupted, not failed: run.json stays "running", resume retrains it
      }
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      record = record(run, RunRecord.FAILED, reason, (long) progress.step, progress, started,
          Instant.now().toString(), startNanos);
    }
    dir.write(record);
    listener.ended(run, record);
    return record;
  }

  private void train(RunSpec run, RunDirectory dir, RunListener listener, RunDirectory.MetricsLog metrics,
      Progress progress, List<String> studyMetrics) {
    Map<String, Object> config = run.config();
    TrainConfig train = Sections.train(config);
    try (Rng setupRng = new Rng(run.seed())) {
      TaskSetup setup = TaskSetup.prepare(registry, config, run.seed(), setupRng, true);
      Task task = setup.task();
      Tokenizer tokenizer = setup.tokenizer();
      save(tokenizer, dir);
      try (BuiltModel model = new ModelBuilder(registry).build(Sections.architecture(config), setup.io(), run.seed(),
          setup.corpus(), DataType.FLOAT)) {
        progress.parameters = model.parameterCount();
        progress.flopsPerToken = 6.0 * progress.parameters;
        optimise(run, train, task, model, listener, metrics, progress, studyMetrics);
        progress.flopsPerToken = ModelCost.flopsPerToken(model, task, config, run.seed());
        AttentionSample.capture(model, task, tokenizer, run.seed(), dir.path());
        Checkpoint.save(model.params(), dir.file("model.ckpt"));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      BufferPool.clear();                                   // this worker's next run has other shapes
    }
  }

  private void optimise(RunSpec run, TrainConfig train, Task task, BuiltModel model, RunListener listener,
      RunDirectory.MetricsLog metrics, Progress progress, List<String> studyMetrics) {
    Optimizer optimizer = Optimizers.create(train, model.params().parameters());
    LrSchedule schedule = Optimizers.schedule(train);
    ModelEvaluator evaluator = new ModelEvaluator(model);
    AttentionEntropy entropy = AttentionEntropy.probe(model, task, run.seed(), train.batch());
    BestStep best = null;
    listener.started(run, train.steps());
    double firstLoss = Double.NaN;
    long tokens = 0;
    long trainNanos = 0;
    try (Rng batches = new Rng(run.seed() * 7919 + 17)) {
      for (int step = 1; step <= train.steps(); step++) {
        progress.step = step;
        long t0 = System.nanoTime();
        Batch batch = task.trainBatch(train.batch(), batches);
        if (step == 1) {
          Threads.use(fixedThreads > 0 ? fixedThreads
              : Threads.forRun(tokens(batch), ModelCost.width(run.config()), concurrentRuns));
        }
        model.params().parameters().zeroGrad();
        Tensor loss = model.model().loss(batch);
        double value = loss.item();
        if (!Double.isFinite(value)) {
          throw new RunFailure(step, "loss is " + value + " at step " + step);
        }
        if (step == 1) {
          firstLoss = value;
        } else if (value > train.divergeFactor() * Math.max(firstLoss, 1e-3)) {
          throw new RunFailure(step, "diverged: loss " + value + " at step " + step + " exceeds "
              + train.divergeFactor() + "× the first loss " + firstLoss);
        }
        loss.backward();
        double norm = train.clip() > 0 ? GradClip.clipGlobalNorm(model.params().parameters(), train.clip())
            : model.params().parameters().gradNorm();
        if (!Double.isFinite(norm)) {
          throw new RunFailure(step, "gradient norm is " + norm + " at step " + step);
        }
        double lr = schedule.at(step);
        optimizer.step(lr);
        trainNanos += System.nanoTime() - t0;
        tokens += tokens(batch);
        progress.tokensPerSecond = tokens / (trainNanos / 1e9);
        metrics.log(step, "train_loss", value);
        if (step % 10 == 0 || step == 1) {
          metrics.log(step, "lr", lr);
          metrics.log(step, "grad_norm", norm);
        }
        listener.step(run, step, value, progress.tokensPerSecond);
        if (step % train.evalEvery() == 0 || step == train.steps()) {
          Map<String, Double> evaluated = evaluate(task, model, evaluator);
          evaluated.forEach((name, v) -> metrics.log(progress.step, name, v));
          Map<String, Double> attention = entropy.measure();
          attention.forEach((name, v) -> metrics.log(progress.step, name, v));
          metrics.log(progress.step, "tokens_per_s", progress.tokensPerSecond);
          metrics.flush();
          progress.metrics.put("train_loss", value);
          progress.metrics.putAll(evaluated);
          attention.forEach((name, v) -> {
            if (!AttentionEntropy.perHead(name)) {
              progress.metrics.put(name, v);     // run.json keeps the layer means; every head is in metrics.jsonl
            }
          });
          if (train.select() == TrainConfig.Selection.BEST) {
            if (best == null) {
              best = new BestStep(model, BestStep.metric(train, studyMetrics, evaluated), task.metrics());
            }
            best.offer(step, progress.metrics);
          }
          listener.evaluated(run, step, evaluated);
        }
      }
    }
    if (best != null) {
      progress.metrics.clear();
      progress.metrics.putAll(best.metrics());          // run.json reports the chosen evaluation, not the last
      metrics.log(progress.step, BestStep.STEP, best.metrics().get(BestStep.STEP));
      metrics.flush();
      best.restore();                                    // checkpoint and attention sample of that step
    }
  }

  private static Map<String, Double> evaluate(Task task, BuiltModel model, ModelEvaluator evaluator) {
    model.state().eval();
    try {
      Evaluation evaluation = task.evaluate(evaluator);
      Map<String, Double> all = new LinkedHashMap<>(evaluation.metrics());
      if (evaluation.predictions() != null) {
        all.putAll(ClassificationMetrics.of(evaluation.predictions()));
      }
      return all;
    } finally {
      model.state().train();
    }
  }

  private static long tokens(Batch batch) {
    if (batch.patches() != null) {
      return batch.patches().size(0) * batch.patches().size(1);
    }
    long n = batch.tokens().length();
    return batch.decoderTokens() == null ? n : n + batch.decoderTokens().length();
  }

  /** Written to a temporary name and renamed: a reader on another machine never sees half a tokenizer. */
  private static void save(Tokenizer tokenizer, RunDirectory dir) throws IOException {
    Files.createDirectories(dir.path());
    Path tmp = dir.file("tokenizer.txt." + java.util.UUID.randomUUID() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      tokenizer.save(out);
    }
    Files.move(tmp, dir.file("tokenizer.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private RunRecord record(RunSpec run, io.ablate.tracking.RunStatus status, String failure, Long failedStep, Progress p, String started,
      String ended, long startNanos) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (LoadedPlugin plugin : registry.plugins()) {
      versions.put(plugin.name(), plugin.version());
    }
    return new RunRecord(run.study(), run.id(), run.variant().name(), run.variant().factors(), run.seed(),
        run.hash(), RunKeys.codeVersion(), Provenance.current().commit(),
        Provenance.current().commit() == null ? null : Provenance.current().dirty(), versions, run.config(), status,
        failure, failedStep, p.parameters,
        p.flopsPerToken, Nd4j.getBackend().getClass().getSimpleName(), (System.nanoTime() - startNanos) / 1e9,
        p.tokensPerSecond, p.step, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(p.metrics)), started,
        ended);   // in logging order: Map.copyOf iterates in an order that changes from JVM to JVM
  }

  /** What the run has reached, for its record. */
  private static final class Progress {
    int step;
    long parameters;
    double flopsPerToken;
    double tokensPerSecond;
    final Map<String, Double> metrics = new LinkedHashMap<>();
  }
}
