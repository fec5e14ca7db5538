package io.ablate.plugins.architectures.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.model.Decoding;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TokenChooserTest {
  /** Row 0: probabilities 1/10, 2/10, 3/10, 4/10. Row 1: a clear favourite, id 0. */
  private static final INDArray LOGITS = Nd4j.createFromArray(new double[][] {
      {Math.log(1), Math.log(2), Math.log(3), Math.log(4)}, {5.0, 1.0, 1.0, -2.0}});
  private static final int DRAWS = 6_000;

  @Test
  void greedyTakesTheArgmaxAndTheLowestIdOnTies() {
    assertArrayEquals(new int[] {3, 0}, new TokenChooser(Decoding.greedy(1)).choose(LOGITS));
    assertEquals(1, TokenChooser.argmax(new double[] {0, 2, 2, 1}));
  }

  @Test
  void samplingFollowsTheSoftmax() {
    int[] counts = counts(new TokenChooser(Decoding.sample(1, 1.0, 0, 3)));
    for (int i = 0; i < 4; i++) {
      assertEquals((i + 1) / 10.0, counts[i] / (double) DRAWS, 0.025, "frequency of id " + i + ": " + counts[i]);
    }
  }

  @Test
  void temperatureSharpensOrFlattens() {
    int[] cold = counts(new TokenChooser(Decoding.sample(1, 0.05, 0, 4)));
    assertTrue(cold[3] > 0.99 * DRAWS, "temperature 0.05 is nearly greedy: " + cold[3]);
    int[] hot = counts(new TokenChooser(Decoding.sample(1, 100.0, 0, 5)));
    for (int i = 0; i < 4; i++) {
      assertEquals(0.25, hot[i] / (double) DRAWS, 0.03, "temperature 100 is nearly uniform, id " + i);
    }
  }

  @Test
  void topKDrawsOnlyFromTheKMostLikelyRenormalised() {
    int[] counts = counts(new TokenChooser(Decoding.sample(1, 1.0, 2, 6)));
    assertEquals(0, counts[0] + counts[1], "ids outside the top 2 were drawn");
    assertEquals(3.0 / 7, counts[2] / (double) DRAWS, 0.025);
    assertArrayEquals(new int[] {3, 0}, new TokenChooser(Decoding.sample(1, 1.0, 1, 7)).choose(LOGITS),
        "top-1 sampling is greedy");
  }

  @Test
  void theSameSeedDrawsTheSameTokens() {
    TokenChooser a = new TokenChooser(Decoding.sample(1, 1.0, 0, 8));
    TokenChooser b = new TokenChooser(Decoding.sample(1, 1.0, 0, 8));
    TokenChooser c = new TokenChooser(Decoding.sample(1, 1.0, 0, 9));
    boolean differs = false;
    for (int i = 0; i < 50; i++) {
      int[] x = a.choose(LOGITS);
      assertArrayEquals(x, b.choose(LOGITS));
      differs |= x[0] != c.choose(LOGITS)[0];
    }
    assertTrue(differs, "seeds 8 and 9 drew the same 50 tokens");
  }

  @Test
  void rejectsWhatIsNotAPerTokenChoice() {
    assertThrows(IllegalArgumentException.class, () -> new TokenChooser(Decoding.beam(3, 4)));
    assertThrows(IllegalArgumentException.class, () -> new TokenChooser(Decoding.sample(3, 0.0, 0, 1)));
    assertThrows(IllegalArgumentException.class, () -> new TokenChooser(Decoding.sample(3, 1.0, -1, 1)));
    assertFalse(new TokenChooser(Decoding.greedy(0)).choose(LOGITS).length != 2);
  }

  private static int[] counts(TokenChooser chooser) {
    int[] counts = new int[4];
    for (int i = 0; i < DRAWS; i++) {
      counts[chooser.choose(LOGITS.getRow(0, true))[0]]++;
    }
    return counts;
  }
}
