package io.ablate.experiment.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.task.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directions come from the tasks' declarations, per-length forms included, and survive in the study folder. */
class MetricDirectionsTest {
  @TempDir
  Path dir;

  @Test
  void aDeclaredMetricIsRankedByItsDeclarationNotItsName() throws Exception {
    assertFalse(Summary.lowerIsBetter("cer_test"), "undeclared: guessed from the name (higher)");
    MetricDirections.declare(List.of(Metric.lower("cer_test").perLengthToo(), Metric.higher("loss_free_score")));
    assertTrue(Summary.lowerIsBetter("cer_test"));
    assertTrue(Summary.lowerIsBetter("cer_test@len=12"));
    assertFalse(Summary.lowerIsBetter("loss_free_score"), "declared higher despite 'loss' in its name");
    assertTrue(Summary.lowerIsBetter("train_loss"));
    MetricDirections.write(dir);
    assertTrue(Files.readString(dir.resolve(MetricDirections.FILE)).contains("\"cer_test\" : false"));
  }
}
