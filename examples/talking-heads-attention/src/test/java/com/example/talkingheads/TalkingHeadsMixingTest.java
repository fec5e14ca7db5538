package com.example.talkingheads;

import static io.ablate.testkit.ArrayChecks.assertClose;
import static io.ablate.testkit.ArrayChecks.assertDiffer;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.testkit.ArrayChecks;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What talking heads adds to multi-head attention, checked against the built-in {@code mha}. */
class TalkingHeadsMixingTest {
  private static final Dims DIMS = new Dims(8, 4);

  private static ModelContext context(Rng rng, String scope) {
    return TestModels.context(DIMS, ModelIO.languageModel(16, 6), DataType.DOUBLE, rng).scope(scope);
  }

  /** Copies mha's projections into talking heads (same parameter names under another scope). */
  private static void copyProjections(ModelContext from, ModelContext to) {
    for (String name : new String[] {"query", "key", "value", "output"}) {
      for (String part : new String[] {".weight", ".bias"}) {
        to.store().parameters().get("talking." + name + part).value()
            .assign(from.store().parameters().get("mha." + name + part).value());
      }
    }
  }

  @Test
  void withIdentityMixingItIsTheBuiltInMultiHeadAttention() {
    try (Rng rng = new Rng(1)) {
      ModelContext mhaContext = context(rng, "mha");
      Attention mha = mhaContext.create(Family.ATTENTION, ComponentSpec.of("mha"));    // built-in, by name
      ArrayChecks.perturb(mhaContext.store().parameters().list(), 2, 0.3);
      ModelContext talkingContext = context(rng, "talking");
      Attention talking = talkingContext.create(Family.ATTENTION, ComponentSpec.of("talking-heads"));
      copyProjections(mhaContext, talkingContext);

      INDArray x = GradCheck.randn(3, 2, 6, 8);
      AttentionMask mask = new AttentionMask(true, ArrayChecks.rightPadded(6, 6, 4));
      assertClose(mha.forward(Tensor.constant(x), Tensor.constant(x), mask).value(),
          talking.forward(Tensor.constant(x), Tensor.constant(x), mask).value(), 1e-12,
          "talking heads with identity mixing vs mha");

      talkingContext.store().parameters().get("talking.logit_mix").value().addi(GradCheck.randn(4, 4, 4).muli(0.5));
      assertDiffer(mha.forward(Tensor.constant(x), Tensor.constant(x), mask).value(),
          talking.forward(Tensor.constant(x), Tensor.constant(x), mask).value(), 1e-6,
          "talking heads with mixed logits vs mha");
    }
  }

  @Test
  void orthogonalInitialisationIsOrthogonalAndSeeded() {
    try (Rng a = new Rng(5); Rng b = new Rng(5); Rng c = new Rng(6)) {
      INDArray first = HeadMixing.initial(TalkingHeadsAttention.Init.ORTHOGONAL, 4, a, DataType.DOUBLE);
      assertClose(Nd4j.eye(4).castTo(DataType.DOUBLE), first.transpose().mmul(first), 1e-12, "QᵀQ");
      assertClose(first, HeadMixing.initial(TalkingHeadsAttention.Init.ORTHOGONAL, 4, b, DataType.DOUBLE), 0.0,
          "same seed");
      assertDiffer(first, HeadMixing.initial(TalkingHeadsAttention.Init.ORTHOGONAL, 4, c, DataType.DOUBLE), 1e-3,
          "seeds 5 and 6");
    }
  }
}
