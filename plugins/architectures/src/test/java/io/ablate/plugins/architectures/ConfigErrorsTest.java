package io.ablate.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.ModelBuilder;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.api.Test;

/** Architectures refuse what they cannot build, saying what and why. */
class ConfigErrorsTest {
  private static final ModelBuilder BUILDER = new ModelBuilder(TestModels.registry());

  private static void assertRejected(ComponentSpec spec, ModelIO io, String... fragments) {
    ConfigException e = assertThrows(ConfigException.class, () -> BUILDER.build(spec, io, 1).close());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
    }
  }

  private static ComponentSpec tiny(String architecture) {
    return ComponentSpec.of(architecture).with("d_model", 8).with("layers", 1).with("heads", 2);
  }

  @Test
  void encoderRefusesLanguageModelling() {
    assertRejected(tiny("encoder"), ModelIO.languageModel(12, 8), "encoder", "language_model", "classification",
        "masked_lm");
  }

  @Test
  void vitRefusesTextAndMissingPatchLength() {
    assertRejected(tiny("vit"), ModelIO.classification(12, 3, 8), "vit", "image_classification");
    assertRejected(tiny("vit"), new ModelIO(Objective.IMAGE_CLASSIFICATION, 0, 3, 4, 0), "patch_dim");
  }

  @Test
  void classifiersNeedTwoClasses() {
    assertRejected(tiny("encoder"), ModelIO.classification(12, 0, 8), "at least 2 classes");
  }

  @Test
  void depthAndDropoutAreRangeChecked() {
    assertRejected(tiny("decoder").with("layers", 0), ModelIO.languageModel(12, 8), "layers", "≥ 1");
    assertRejected(tiny("encoder").with("dropout", 1.0), ModelIO.maskedLm(12, 8), "dropout", "[0, 1)");
  }
}
