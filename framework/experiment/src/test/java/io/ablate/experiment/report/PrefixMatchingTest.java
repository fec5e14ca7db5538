package io.ablate.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prefix-matching score on hand-made attention: an induction head scores 1, a previous-token head 0. */
class PrefixMatchingTest {
  private static final int N = 4;                        // copy length; the input holds 2N − 1 tokens

  @Test
  void anInductionHeadScoresOneAndAPreviousTokenHeadZero() {
    int t = 2 * N - 1;
    double[][][] heads = new double[3][t][t];
    for (int i = 0; i < t; i++) {
      heads[0][i][i >= N ? i - N + 1 : 0] = 1;            // induction: the token after the earlier occurrence
      heads[1][i][Math.max(0, i - 1)] = 1;                // previous token
      for (int k = 0; k <= i; k++) {
        heads[2][i][k] = 1.0 / (i + 1);                   // uniform causal
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tokens", new int[] {5, 9, 7, 6, 5, 9, 7});
    doc.put("layers", Map.of("decoder.blocks.1.attention", heads));
    JsonNode json = new ObjectMapper().valueToTree(doc);
    List<PrefixMatching.Score> scores = PrefixMatching.scores("layers=2", 1, json);
    assertEquals(3, scores.size());
    assertEquals(1.0, scores.get(0).score(), 1e-12);
    assertEquals(0.0, scores.get(1).score(), 1e-12);
    // uniform: mean of 1/(i+1) over the second copy's positions i = 4, 5, 6
    assertEquals((1 / 5.0 + 1 / 6.0 + 1 / 7.0) / 3, scores.get(2).score(), 1e-12);
    assertTrue(PrefixMatching.html(scores).contains("<td>layers=2</td><td><code>decoder.blocks.1.attention</code>"
        + "</td><td>0</td><td>1</td><td class=\"num\">1.000 [1.000–1.000]</td>"), PrefixMatching.html(scores));
  }

  @Test
  void onlyARepeatedExampleHasAScore() {
    assertEquals(N, PrefixMatching.repeatLength(new int[] {5, 9, 7, 6, 5, 9, 7}));
    assertEquals(0, PrefixMatching.repeatLength(new int[] {5, 9, 7, 6, 5, 9, 8}));
    assertEquals(0, PrefixMatching.repeatLength(new int[] {5, 9, 7, 6}));
  }
}
