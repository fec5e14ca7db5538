package io.ablate.plugins.text.tokenizer;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.text.PatchTokenizer;
import io.ablate.spi.text.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code patches}: cuts images into non-overlapping P×P patches, the tokens of a vision transformer
 * (Dosovitskiy et al., 2021). Patches are numbered row-major over the image (left to right, then top
 * to bottom); each is flattened channel first, then row, then column — the order in which a
 * convolution with kernel and stride P (weights (D, C, P, P)) reads it. Pure reshapes and one
 * permutation, no loops over elements.
 */
public final class ImagePatches implements PatchTokenizer {
  static final String KIND = "patches";

  /** Options of {@code patches}. */
  public record Config(@Doc("side P of the square patches, in pixels; must divide the image height and width")
      @Default("4") int patch) {
    public Config {
      if (patch < 1) {
        throw new IllegalArgumentException("patch must be at least 1 pixel, got " + patch);
      }
    }
  }

  public static final ComponentFactory<Config, Tokenizer> FACTORY = Factories.of(Family.TOKENIZER, KIND,
      "Image patches for vision transformers: (B, C, H, W) → (B, N, C·P·P), row-major", Config.class,
      (config, context) -> new ImagePatches(config.patch()));

  private int patch;

  public ImagePatches(int patch) {
    this.patch = patch;
  }

  public int patch() {
    return patch;
  }

  @Override
  public INDArray patches(INDArray images) {
    long[] s = images.shape();
    if (s.length != 4) {
      throw new IllegalArgumentException("patches expects images of shape (B, C, H, W), got " + Arrays.toString(s));
    }
    checkDivisible(s[2], s[3]);
    long b = s[0];
    long c = s[1];
    long rows = s[2] / patch;
    long cols = s[3] / patch;
    INDArray grid = contiguous(images).reshape('c', b, c, rows, patch, cols, patch);  // (B, C, H/P, P, W/P, P)
    INDArray ordered = grid.permute(0, 2, 4, 1, 3, 5).dup('c');                        // (B, H/P, W/P, C, P, P)
    return ordered.reshape('c', b, rows * cols, c * patch * patch);                    // (B, N, C·P·P)
  }

  /** The inverse of {@link #patches}: (B, N, C·P·P) → (B, C, H, W). */
  public INDArray images(INDArray patches, int channels, int height, int width) {
    long[] s = patches.shape();
    checkDivisible(height, width);
    long rows = height / patch;
    long cols = width / patch;
    if (s.length != 3 || s[1] != rows * cols || s[2] != (long) channels * patch * patch) {
      throw new IllegalArgumentException("images expects patches of shape (B, " + rows * cols + ", "
          + (long) channels * patch * patch + ") for " + channels + "×" + height + "×" + width + " images, got "
          + Arrays.toString(s));
    }
    INDArray grid = contiguous(patches).reshape('c', s[0], rows, cols, channels, patch, patch); // (B, H/P, W/P, C, P, P)
    INDArray ordered = grid.permute(0, 3, 1, 4, 2, 5).dup('c');                               // (B, C, H/P, P, W/P, P)
    return ordered.reshape('c', s[0], channels, height, width);                               // (B, C, H, W)
  }

  @Override
  public int patchDim(int channels) {
    return channels * patch * patch;
  }

  @Override
  public int patchCount(int height, int width) {
    checkDivisible(height, width);
    return (height / patch) * (width / patch);
  }

  /** Format: header {@code patches}, option {@code patch} (see {@link TokenizerFile}). */
  @Override
  public void save(OutputStream out) throws IOException {
    TokenizerFile.write(out, KIND).option("patch", patch).end();
  }

  @Override
  public void load(InputStream in) throws IOException {
    TokenizerFile.Reader r = TokenizerFile.read(in, KIND);
    int saved = r.intOption("patch");
    r.end();
    if (saved < 1) {
      throw new IOException("saved patches tokenizer: patch must be at least 1, got " + saved);
    }
    patch = saved;
  }

  /** The array itself when it is a plain row-major array, else a row-major copy (views, 'f' order). */
  private static INDArray contiguous(INDArray a) {
    return a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
  }

  private void checkDivisible(long height, long width) {
    if (height % patch != 0 || width % patch != 0) {
      throw new IllegalArgumentException("image size " + height + "×" + width + " is not divisible by the patch size "
          + patch + ": choose a patch that divides both (height % patch = " + height % patch + ", width % patch = "
          + width % patch + ") or resize the images");
    }
  }
}
