package io.ablate.plugins.tasks.synthetic;

import io.ablate.spi.model.Batch;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Source → target string pairs laid out as one batch: for {@link Format#LM} one causal sequence
 * {@code source > target [EOS]} scored only on {@code target [EOS]}; for {@link Format#SEQ2SEQ} the
 * source to the encoder and {@code [BOS] target} to the decoder, predicting {@code target [EOS]}.
 */
public final class PairBatch {
  /** Between source and target in the LM layout. */
  public static final String SEPARATOR = ">";

  private PairBatch() {}

  public static Batch of(TextTokenizer tokenizer, Format format, List<String> sources, List<String> targets) {
    List<int[]> inputs = new ArrayList<>();
    List<int[]> outputs = new ArrayList<>();
    if (format == Format.LM) {
      for (int i = 0; i < sources.size(); i++) {
        int[] prompt = prompt(tokenizer, sources.get(i));
        int[] ids = concat(prompt, answer(tokenizer, targets.get(i)));
        int[] in = Arrays.copyOf(ids, ids.length - 1);
        int[] out = Arrays.copyOfRange(ids, 1, ids.length);
        Arrays.fill(out, 0, prompt.length - 1, (int) Batch.IGNORE);       // the prompt is given, not scored
        inputs.add(in);
        outputs.add(out);
      }
      return Batch.languageModel(Padding.ids(inputs, SpecialToken.PAD.id()),   // (B, T)
          Padding.ids(outputs, Batch.IGNORE));                                  // (B, T)
    }
    List<int[]> decoder = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      int[] target = tokenizer.encode(targets.get(i));
      inputs.add(tokenizer.encode(sources.get(i)));
      decoder.add(concat(new int[] {SpecialToken.BOS.id()}, target));
      outputs.add(concat(target, new int[] {SpecialToken.EOS.id()}));
    }
    return Batch.seq2seq(Padding.ids(inputs, SpecialToken.PAD.id()), Padding.mask(inputs),   // (B, Ts)
        Padding.ids(decoder, SpecialToken.PAD.id()), Padding.mask(decoder),                 // (B, Tt)
        Padding.ids(outputs, Batch.IGNORE));                                                // (B, Tt)
  }

  /** The LM prompt: {@code source >}. */
  public static int[] prompt(TextTokenizer tokenizer, String source) {
    return tokenizer.encode(source + SEPARATOR);
  }

  /** What a model must produce for a target: its ids and [EOS]. */
  public static int[] answer(TextTokenizer tokenizer, String target) {
    return concat(tokenizer.encode(target), new int[] {SpecialToken.EOS.id()});
  }

  /** Tokens of the longest sequence a pair occupies in the format (LM: prompt + answer; seq2seq: either side). */
  public static int length(TextTokenizer tokenizer, Format format, String source, String target) {
    int answer = answer(tokenizer, target).length;
    return format == Format.LM ? prompt(tokenizer, source).length + answer
        : Math.max(tokenizer.encode(source).length, answer);
  }

  static int[] concat(int[]... parts) {
    int n = 0;
    for (int[] p : parts) {
      n += p.length;
    }
    int[] out = new int[n];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
