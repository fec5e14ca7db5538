package io.ablate.experiment.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.core.model.BuiltModel;
import io.ablate.spi.model.Batch;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures the attention weights of a trained model on one fixed training-style example (the first
 * row of {@code task.trainBatch(1, new Rng(seed))}) and stores them as {@code attention.json}:
 *
 * <pre>{@code
 * {"tokens": [ids…], "pieces": ["a", …], "decoder_tokens": [ids…]?, "decoder_pieces": […]?,
 *  "layers": {"<layer path>": [[[w(q,k) for k < Tk] for q < Tq] for h < H], …}}
 * }</pre>
 *
 * <p>Layers appear in the order the forward pass reached them. Models whose attention records
 * nothing (no explicit scores, e.g. linear attention) get no file. Capture never fails a run: any
 * problem is logged and the file is left out.
 */
public final class AttentionSample {
  /** The file name inside a run directory. */
  public static final String FILE = "attention.json";

  private static final Logger LOG = LoggerFactory.getLogger(AttentionSample.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private AttentionSample() {}

  /**
   * Runs one forward pass in evaluation mode without gradients, with capture on ({@link AttentionCapture}), and writes
   * {@link #FILE} into {@code dir}. Leaves the model in training mode with capture off.
   *
   * @return whether a file was written
   */
  public static boolean capture(BuiltModel model, Task task, Tokenizer tokenizer, long seed, Path dir) {
    Map<String, INDArray> captured = new LinkedHashMap<>();
    Batch batch;
    try (Rng rng = new Rng(seed)) {
      batch = task.trainBatch(1, rng);
      AttentionCapture.forward(model, batch, (layer, weights) -> captured.putIfAbsent(unique(captured, layer), weights));
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("attention capture skipped: {}", e.toString());
      return false;
    }
    if (captured.isEmpty()) {
      return false;
    }
    try {
      write(dir.resolve(FILE), document(batch, tokenizer, captured));
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("attention capture not saved: {}", e.toString());
      return false;
    }
  }

  private static String unique(Map<String, INDArray> captured, String layer) {
    String key = layer;
    for (int i = 2; captured.containsKey(key); i++) {
      key = layer + "#" + i;
    }
    return key;
  }

  static Map<String, Object> document(Batch batch, Tokenizer tokenizer, Map<String, INDArray> captured) {
    Map<String, Object> doc = new LinkedHashMap<>();
    int[] tokens = firstRow(batch.tokens(), batch.tokenMask());
    doc.put("tokens", tokens);
    doc.put("pieces", pieces(tokens, tokenizer));
    if (batch.decoderTokens() != null) {
      int[] decoder = firstRow(batch.decoderTokens(), batch.decoderMask());
      doc.put("decoder_tokens", decoder);
      doc.put("decoder_pieces", pieces(decoder, tokenizer));
    }
    Map<String, float[][][]> layers = new LinkedHashMap<>();
    captured.forEach((layer, weights) -> layers.put(layer, heads(weights)));
    doc.put("layers", layers);
    return doc;
  }

  /** Ids of row 0, without trailing padding; empty for image batches. */
  private static int[] firstRow(INDArray ids, INDArray mask) {
    if (ids == null) {
      return new int[0];
    }
    int[] row = ids.getRow(0).toIntVector();
    int length = row.length;
    if (mask != null) {
      int[] keep = mask.getRow(0).castTo(DataType.INT32).toIntVector();
      while (length > 0 && keep[length - 1] == 0) {
        length--;
      }
    }
    return java.util.Arrays.copyOf(row, length);
  }

  private static List<String> pieces(int[] ids, Tokenizer tokenizer) {
    List<String> out = new ArrayList<>();
    if (tokenizer instanceof TextTokenizer text) {
      for (int id : ids) {
        out.add(text.token(id));
      }
    }
    return out;
  }

  /** (B, H, Tq, Tk) → row 0 as [H][Tq][Tk]. */
  private static float[][][] heads(INDArray weights) {
    INDArray first = weights.slice(0).castTo(DataType.FLOAT);                  // (H, Tq, Tk)
    int h = (int) first.size(0);
    float[][][] out = new float[h][][];
    for (int i = 0; i < h; i++) {
      out[i] = first.slice(i).toFloatMatrix();
    }
    return out;
  }

  private static void write(Path file, Map<String, Object> doc) throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), doc);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
