package io.ablate.plugins.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.text.PatchTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.ComponentContract;
import io.ablate.testkit.TestModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code patches} is not a text tokenizer, so it meets the component contract and its own checks. */
class ImagePatchesTest extends ComponentContract<ImagePatches.Config> {
  @Override
  protected ComponentFactory<ImagePatches.Config, Tokenizer> factory() {
    return ImagePatches.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("patch", 2));
  }

  private PatchTokenizer create(int patch) {
    try (Rng rng = new Rng(1)) {
      Tokenizer t = factory().create(config(Map.of("patch", patch)),
          TestModels.context(new Dims(8, 2), ModelIO.imageClassification(12, 6, 3), DataType.FLOAT, rng));
      return (PatchTokenizer) t;
    }
  }

  /** (2, 3, 4, 6) holding 0, 1, 2, … in row-major order. */
  private static INDArray ramp() {
    return Nd4j.arange(2 * 3 * 4 * 6).castTo(DataType.DOUBLE).reshape('c', 2, 3, 4, 6);
  }

  @Test
  void eachPatchIsTheManualSliceChannelThenRowThenColumn() {
    INDArray images = ramp();
    INDArray patches = create(2).patches(images);
    assertArrayEquals(new long[] {2, 6, 12}, patches.shape(), "(B, N = 2·3, C·P·P = 3·2·2)");
    for (int b = 0; b < 2; b++) {
      for (int row = 0; row < 2; row++) {
        for (int col = 0; col < 3; col++) {
          int n = row * 3 + col;
          int k = 0;
          for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 2; i++) {
              for (int j = 0; j < 2; j++) {
                double expected = images.getDouble(b, c, row * 2 + i, col * 2 + j);
                assertEquals(expected, patches.getDouble(b, n, k++), "image " + b + " patch " + n + " element " + k);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void patchesBackToImagesReconstructsThem() {
    ImagePatches p = (ImagePatches) create(2);
    try (Rng rng = new Rng(5)) {
      INDArray images = rng.normal(DataType.FLOAT, 0, 1, 2, 3, 4, 6);
      INDArray back = p.images(p.patches(images), 3, 4, 6);
      assertArrayEquals(images.shape(), back.shape());
      assertArrayEquals(images.dup('c').data().asFloat(), back.dup('c').data().asFloat());
      assertEquals(DataType.FLOAT, p.patches(images).dataType());
    }
  }

  @Test
  void onePatchCoveringTheImageIsTheFlattenedImage() {
    INDArray images = ramp();
    INDArray patches = create(2).patches(images.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)));
    assertArrayEquals(new long[] {2, 1, 12}, patches.shape());
    assertEquals(images.getDouble(1, 2, 1, 1), patches.getDouble(1, 0, 11), "a view as input: last element");
  }

  @Test
  void sizesFollowThePatch() {
    PatchTokenizer p = create(4);
    assertEquals(3 * 16, p.patchDim(3));
    assertEquals(8 * 8, p.patchCount(32, 32));
  }

  @Test
  void indivisibleImagesFailWithTheSizes() {
    PatchTokenizer p = create(4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.patches(Nd4j.zeros(DataType.FLOAT, 1, 1, 30, 32)));
    assertTrue(e.getMessage().contains("30×32") && e.getMessage().contains("patch size 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.patchCount(32, 30));
    e = assertThrows(IllegalArgumentException.class, () -> p.patches(Nd4j.zeros(DataType.FLOAT, 1, 32, 32)));
    assertTrue(e.getMessage().contains("(B, C, H, W)"), e.getMessage());
  }

  @Test
  void saveAndLoadRestoreThePatchSize() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    create(8).save(out);
    PatchTokenizer restored = create(4);
    restored.load(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(8 * 8 * 3, restored.patchDim(3));
    CharTokenizer text = new CharTokenizer(new CharTokenizer.Config(null));
    text.train(List.of("abc"));
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    text.save(other);
    IOException e = assertThrows(IOException.class, () -> restored.load(new ByteArrayInputStream(other.toByteArray())));
    assertTrue(e.getMessage().contains("'char' tokenizer, not a 'patches'"), e.getMessage());
  }

  @Test
  void patchMustBePositive() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("patch", 0)));
    assertTrue(e.getMessage().contains("patch must be at least 1"), e.getMessage());
  }
}
