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
 *  "layers": {"<layer path>": [[[w(q,k) for k < Tk] for q < Tq] for h < H], …},
 *  "repeat_patterns": {"examples": k, "layers": {"<layer path>": {"prefix_matching": [per head], …}}}?}
 * }</pre>
 *
 * <p>When the example is a string followed by itself (a repeated-tokens task), {@code
 * repeat_patterns} holds each head's {@link RepeatPatterns} scores averaged over the repeated rows of
 * a {@value #PATTERN_EXAMPLES}-row training-style batch (row 0 is the example): one example's scores
 * swing with its copy length.
 *
 * <p>Layers appear in the order the forward pass reached them. Models whose attention records
 * nothing (no explicit scores, e.g. linear attention) get no file. Capture never fails a run: any
 * problem is logged and the file is left out.
 */
public final class AttentionSample {
  /** The file name inside a run directory. */
  public static final String FILE = "attention.json";

  /** Rows of the batch that the repeat-pattern scores average over. */
  static final int PATTERN_EXAMPLES = 32;

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
      Map<String, Object> doc = document(batch, tokenizer, captured);
      if (RepeatPatterns.repeatLength((int[]) doc.get("tokens")) > 0) {
        Map<String, Object> patterns = repeatPatterns(model, task, seed);
        if (patterns != null) {
          doc.put("repeat_patterns", patterns);
        }
      }
      write(dir.resolve(FILE), doc);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("attention capture not saved: {}", e.toString());
      return false;
    }
  }

  /**
   * Per layer and head, the mean {@link RepeatPatterns} scores over the repeated rows of a batch;
   * null if there are none or the pass fails (the heat-map example is kept either way).
   */
  private static Map<String, Object> repeatPatterns(BuiltModel model, Task task, long seed) {
    try {
      return measureRepeatPatterns(model, task, seed);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("repeat-pattern scores skipped: {}", e.toString());
      return null;
    }
  }

  private static Map<String, Object> measureRepeatPatterns(BuiltModel model, Task task, long seed) {
    Map<String, INDArray> captured = new LinkedHashMap<>();
    Batch batch;
    try (Rng rng = new Rng(seed)) {
      batch = task.trainBatch(PATTERN_EXAMPLES, rng);
      AttentionCapture.forward(model, batch, (layer, weights) -> captured.putIfAbsent(unique(captured, layer), weights));
    }
    Map<String, double[][]> sums = new LinkedHashMap<>();             // layer → [head][score]
    int examples = 0;
    for (int b = 0; b < batch.tokens().size(0); b++) {
      int[] tokens = row(batch.tokens(), batch.tokenMask(), b);
      int n = RepeatPatterns.repeatLength(tokens);
      if (n == 0) {
        continue;
      }
      examples++;
      for (Map.Entry<String, INDArray> layer : captured.entrySet()) {
        float[][][] heads = heads(layer.getValue(), b);                   // [H][Tq][Tk]
        double[][] sum = sums.computeIfAbsent(layer.getKey(), k -> new double[heads.length][RepeatPatterns.NAMES.size()]);
        for (int h = 0; h < heads.length; h++) {
          float[][] w = heads[h];
          double[] scores = RepeatPatterns.scores(n, tokens.length, (q, k) -> w[q][k]);
          for (int s = 0; s < scores.length; s++) {
            sum[h][s] += scores[s];
          }
        }
      }
    }
    if (examples == 0) {
      return null;
    }
    Map<String, Object> layers = new LinkedHashMap<>();
    for (Map.Entry<String, double[][]> layer : sums.entrySet()) {
      Map<String, double[]> byScore = new LinkedHashMap<>();
      for (int s = 0; s < RepeatPatterns.NAMES.size(); s++) {
        double[] perHead = new double[layer.getValue().length];
        for (int h = 0; h < perHead.length; h++) {
          perHead[h] = layer.getValue()[h][s] / examples;
        }
        byScore.put(RepeatPatterns.NAMES.get(s), perHead);
      }
      layers.put(layer.getKey(), byScore);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("examples", examples);
    out.put("layers", layers);
    return out;
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
    int[] tokens = row(batch.tokens(), batch.tokenMask(), 0);
    doc.put("tokens", tokens);
    doc.put("pieces", pieces(tokens, tokenizer));
    if (batch.decoderTokens() != null) {
      int[] decoder = row(batch.decoderTokens(), batch.decoderMask(), 0);
      doc.put("decoder_tokens", decoder);
      doc.put("decoder_pieces", pieces(decoder, tokenizer));
    }
    Map<String, float[][][]> layers = new LinkedHashMap<>();
    captured.forEach((layer, weights) -> layers.put(layer, heads(weights, 0)));
    doc.put("layers", layers);
    return doc;
  }

  /** Ids of one row, without trailing padding; empty for image batches. */
  private static int[] row(INDArray ids, INDArray mask, int b) {
    if (ids == null) {
      return new int[0];
    }
    int[] row = ids.getRow(b).toIntVector();
    int length = row.length;
    if (mask != null) {
      int[] keep = mask.getRow(b).castTo(DataType.INT32).toIntVector();
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

  /** (B, H, Tq, Tk) → row b as [H][Tq][Tk]. */
  private static float[][][] heads(INDArray weights, int b) {
    INDArray first = weights.slice(b).castTo(DataType.FLOAT);                  // (H, Tq, Tk)
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
