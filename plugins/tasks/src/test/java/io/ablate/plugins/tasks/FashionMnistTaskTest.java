package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Reads the installed Fashion-MNIST (Debian package dataset-fashion-mnist; CI installs it). */
class FashionMnistTaskTest {
  private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir
  Path empty;

  private static Task create(Map<String, Object> options, Rng rng) {
    var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
    return context.create(Family.TASK, new ComponentSpec("fashion-mnist", options));
  }

  private static Tokenizer patches(Rng rng, int patch) {
    var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
    return context.create(Family.TOKENIZER, new ComponentSpec("patches", Map.of("patch", patch)));
  }

  @Test
  void readsTheInstalledDatasetIntoPatches() {
    Assumptions.assumeTrue(Files.isDirectory(DATA), "skipped: Debian package dataset-fashion-mnist is not installed");
    try (Rng rng = new Rng(1)) {
      Task task = create(Map.of("train_examples", 100, "eval_examples", 50), rng);
      ModelIO io = task.prepare(patches(rng, 7), 1);
      assertEquals(new ModelIO(Objective.IMAGE_CLASSIFICATION, 0, 10, 16, 49), io);
      Batch batch = task.trainBatch(8, rng);
      assertArrayEquals(new long[] {8, 16, 49}, batch.patches().shape());
      assertTrue(batch.patches().minNumber().doubleValue() >= -0.5 && batch.patches().maxNumber().doubleValue() <= 0.5);
      assertTrue(batch.patches().maxNumber().doubleValue() > 0.4, "images are not blank");
      for (int i = 0; i < 8; i++) {
        assertTrue(batch.targets().getLong(i) >= 0 && batch.targets().getLong(i) < 10);
      }
    }
  }

  @Test
  void missingDataSaysWhatToInstall() {
    try (Rng rng = new Rng(1)) {
      Task task = create(Map.of("path", empty.toString()), rng);
      ConfigException e = assertThrows(ConfigException.class, () -> task.prepare(patches(rng, 7), 1));
      assertTrue(e.getMessage().contains("dataset-fashion-mnist") && e.getMessage().contains("`path`"), e.getMessage());
    }
  }

  @Test
  void aTextTokenizerIsRefusedWithTheFix() {
    try (Rng rng = new Rng(1)) {
      Task task = create(Map.of(), rng);
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      Tokenizer chars = context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      ConfigException e = assertThrows(ConfigException.class, () -> task.prepare(chars, 1));
      assertTrue(e.getMessage().contains("patches"), e.getMessage());
    }
  }
}
