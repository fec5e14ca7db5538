package io.ablate.plugins.transformer.attention;

import static io.ablate.testkit.ArrayChecks.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Lever;
import io.ablate.tensor.OpProfiler;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * In float32, {@code mha} runs the fused attention op with no positional encoding, with rotary (its
 * hook rotates q and k first) and with ALiBi (its constant score bias folded into the mask), under a
 * causal mask with padding, and gives what the product/softmax/product chain gives: the output and
 * the gradients of the input and of every parameter.
 */
class FusedAttentionPathTest {
  private static final int B = 3;
  private static final int T = 12;
  private static final int D = 16;
  private static final int H = 4;

  @AfterEach
  void clear() {
    MaskBias.clear();
  }

  @Test
  void noneRotaryAndAlibiTakeTheFusedOpAndMatchTheChain() {
    for (String positional : new String[] {"none", "rotary", "alibi"}) {
      try (Rng rng = new Rng(3)) {
        ModelContext context = TestModels.context(new Dims(D, H), ModelIO.languageModel(16, T), DataType.FLOAT, rng);
        context = context.withPositional(context.create(Family.POSITIONAL, ComponentSpec.of(positional)));
        Attention attention = context.scope("attention").create(Family.ATTENTION, ComponentSpec.of("mha"));
        List<Tensor> params = new ArrayList<>(context.store().parameters().list());
        INDArray x = Nd4j.randn(DataType.FLOAT, B, T, D);
        INDArray valid = Nd4j.ones(DataType.FLOAT, B, T);
        valid.putScalar(new long[] {1, T - 1}, 0);                                     // padded keys
        valid.putScalar(new long[] {1, T - 2}, 0);
        AttentionMask mask = new AttentionMask(true, valid);
        INDArray upstream = Nd4j.randn(DataType.FLOAT, B, T, D);

        OpProfiler.enable();
        List<INDArray> fused;
        try {
          fused = run(attention, params, x, mask, upstream);
          assertTrue(OpProfiler.report().contains("attention "), positional + " did not take the fused op");
        } finally {
          OpProfiler.disable();
          OpProfiler.reset();
        }
        boolean before = Lever.FUSED_ATTENTION.on();
        Lever.FUSED_ATTENTION.set(false);
        List<INDArray> chain;
        try {
          chain = run(attention, params, x, mask, upstream);
        } finally {
          Lever.FUSED_ATTENTION.set(before);
        }
        for (int i = 0; i < chain.size(); i++) {
          double scale = Math.max(1, chain.get(i).amaxNumber().doubleValue());
          assertClose(chain.get(i), fused.get(i), 2e-6 * scale, positional + ": output/gradient " + i);
        }
      }
    }
  }

  /** The output, the input's gradient and every parameter's gradient of one forward and backward. */
  private static List<INDArray> run(Attention attention, List<Tensor> params, INDArray x, AttentionMask mask,
      INDArray upstream) {
    params.forEach(p -> p.setGrad(null));
    Tensor input = Tensor.variable(x.dup());
    Tensor y = attention.forward(input, input, mask);                                  // (B, T, D)
    List<INDArray> out = new ArrayList<>(List.of(y.value().dup()));
    y.backward(upstream);
    out.add(input.grad().dup());
    params.forEach(p -> out.add(p.grad().dup()));
    return out;
  }
}
