package io.ablate.plugins.tasks.image;

import io.ablate.spi.task.Metric;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.PatchTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code fashion-mnist}: 28×28 grey clothing images in 10 classes (Xiao et al. 2017), read from the
 * IDX files of the Debian package {@code dataset-fashion-mnist}; for ViT with the {@code patches}
 * tokenizer. Training examples are the first {@code train_examples} of the training file, held-out
 * examples the first {@code eval_examples} of the test file; pixels scaled to [0, 1].
 */
public final class FashionMnistTask implements Task {
  /** Options of {@code fashion-mnist}. */
  public record Config(
      @Doc("folder with the four IDX files") @Default("/usr/share/datasets/fashion-mnist") String path,
      @Doc("training images used (of 60000)") @Default("10000") int trainExamples,
      @Doc("test images evaluated (of 10000)") @Default("2000") int evalExamples,
      @Doc("subtract 0.5 from pixels in [0, 1]") @Default("true") boolean center) {
    public Config {
      if (trainExamples < 1 || trainExamples > 60000 || evalExamples < 1 || evalExamples > 10000) {
        throw new IllegalArgumentException("train_examples must be in [1, 60000] and eval_examples in [1, 10000]");
      }
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "fashion-mnist",
      "Classify Fashion-MNIST clothing images (10 classes) from patches, for ViT", Config.class,
      (config, context) -> new FashionMnistTask(config));

  public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
      "Shirt", "Sneaker", "Bag", "Ankle boot");

  private final Config config;
  private INDArray trainPatches;   // (N, P, patchDim)
  private INDArray trainLabels;    // (N)
  private INDArray evalPatches;
  private int[] evalLabels;

  FashionMnistTask(Config config) {
    this.config = config;
  }

  @Override
  public Objective objective() {
    return Objective.IMAGE_CLASSIFICATION;
  }

  @Override
  public List<String> trainingText() {
    return List.of();
  }

  @Override
  public ModelIO prepare(Tokenizer tokenizer, long seed) {
    if (!(tokenizer instanceof PatchTokenizer patcher)) {
      throw new ConfigException("task 'fashion-mnist' needs an image tokenizer: set `tokenizer: {type: patches, "
          + "patch: 7}` (or 4, 14: the patch side must divide 28)");
    }
    Path dir = Path.of(config.path());
    Path trainImages = require(dir, "train-images-idx3-ubyte");
    Path trainLabelFile = require(dir, "train-labels-idx1-ubyte");
    Path testImages = require(dir, "t10k-images-idx3-ubyte");
    Path testLabelFile = require(dir, "t10k-labels-idx1-ubyte");
    try {
      trainPatches = patcher.patches(images(Idx.images(trainImages, config.trainExamples())));
      trainLabels = labels(Idx.labels(trainLabelFile, config.trainExamples()));
      evalPatches = patcher.patches(images(Idx.images(testImages, config.evalExamples())));
      byte[] raw = Idx.labels(testLabelFile, config.evalExamples());
      evalLabels = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        evalLabels[i] = raw[i];
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Fashion-MNIST from " + dir, e);
    }
    return ModelIO.imageClassification((int) trainPatches.size(2), (int) trainPatches.size(1), CLASSES.size());
  }

  @Override
  public Batch trainBatch(int batchSize, Rng rng) {
    SplittableRandom random = new SplittableRandom(rng.nextSeed());
    long[] rows = new long[batchSize];
    for (int i = 0; i < batchSize; i++) {
      rows[i] = random.nextInt((int) trainPatches.size(0));
    }
    INDArray index = Nd4j.createFromArray(rows);
    return Batch.images(Nd4j.pullRows(trainPatches.reshape(trainPatches.size(0), -1), 1, toInts(rows))
        .reshape(batchSize, trainPatches.size(1), trainPatches.size(2)), trainLabels.get(index).dup());
  }

  @Override
  public java.util.List<Metric> metrics() {
    return java.util.List.of(Metric.lower("loss"), Metric.higher("accuracy"), Metric.higher("macro_f1"));
  }

  @Override
  public Evaluation evaluate(Evaluator evaluator) {
    int n = evalLabels.length;
    int[] predicted = new int[n];
    double lossSum = 0;
    int chunk = 500;
    for (int start = 0; start < n; start += chunk) {
      int end = Math.min(n, start + chunk);
      INDArray patches = evalPatches.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end)).dup();
      long[] labels = new long[end - start];
      for (int i = start; i < end; i++) {
        labels[i - start] = evalLabels[i];
      }
      Batch batch = Batch.images(patches, Nd4j.createFromArray(labels));
      INDArray argmax = Nd4j.argMax(evaluator.logits(batch), 1);                 // (b)
      for (int i = start; i < end; i++) {
        predicted[i] = argmax.getInt(i - start);
      }
      lossSum += evaluator.loss(batch) * (end - start);
    }
    return new Evaluation(Map.of("loss", lossSum / n), new Evaluation.Predictions(predicted, evalLabels.clone(),
        CLASSES));
  }

  /** (N, 1, 28, 28) in [0, 1], optionally centred. */
  private INDArray images(Idx.Images raw) {
    INDArray bytes = Nd4j.createFromArray(raw.pixels()).castTo(DataType.INT32);    // signed bytes → ints
    INDArray pixels = bytes.addi(256).fmodi(256).castTo(DataType.FLOAT).divi(255f);  // unsigned, [0, 1]
    if (config.center()) {
      pixels.subi(0.5f);
    }
    return pixels.reshape(raw.count(), 1, raw.rows(), raw.cols());
  }

  private static INDArray labels(byte[] raw) {
    long[] out = new long[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = raw[i];
    }
    return Nd4j.createFromArray(out);
  }

  private static Path require(Path dir, String name) {
    for (String candidate : new String[] {name + ".gz", name}) {
      Path f = dir.resolve(candidate);
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    throw new ConfigException("task 'fashion-mnist': " + dir.resolve(name + ".gz") + " not found. Install the "
        + "Debian package dataset-fashion-mnist (scripts/install-system-packages.sh does), or point the task's "
        + "`path` at a folder with the four IDX files");
  }

  private static int[] toInts(long[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = (int) rows[i];
    }
    return out;
  }
}
