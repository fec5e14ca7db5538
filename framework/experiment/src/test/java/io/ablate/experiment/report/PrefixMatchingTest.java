package io.ablate.experiment.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.experiment.run.RepeatPatterns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrefixMatchingTest {
  private static final int N = 4;                        // copy length; the input holds 2N − 1 tokens
  private static final int[] REPEAT = {5, 9, 7, 6, 5, 9, 7};

  /** Heads 0–3: induction, previous token, uniform causal, duplicate token. */
  private static double[][][] heads() {
    int t = 2 * N - 1;
    double[][][] heads = new double[4][t][t];
    for (int i = 0; i < t; i++) {
      heads[0][i][i >= N ? i - N + 1 : 0] = 1;            // induction: the token after the earlier occurrence
      heads[1][i][Math.max(0, i - 1)] = 1;                // previous token
      for (int k = 0; k <= i; k++) {
        heads[2][i][k] = 1.0 / (i + 1);                   // uniform causal
      }
      heads[3][i][i >= N ? i - N : i] = 1;                // duplicate token: the earlier occurrence itself
    }
    return heads;
  }

  @Test
  void eachPatternScoresOneOnItsOwnHeadAndTheUniformHeadScoresOneOverPosition() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tokens", REPEAT);
    doc.put("layers", Map.of("decoder.blocks.1.attention", heads()));
    JsonNode json = new ObjectMapper().valueToTree(doc);
    List<PrefixMatching.Score> scores = PrefixMatching.scores("layers=2", 1, json);
    assertEquals(4, scores.size());
    // prefix matching, duplicate token, previous token
    assertArrayEquals(new double[] {1, 0, 1 / 6.0}, scores.get(0).scores(), 1e-12);   // only 1 → 0 is also i − 1
    assertArrayEquals(new double[] {0, 0, 1}, scores.get(1).scores(), 1e-12);
    // uniform: mean of 1/(i+1) over the second copy's positions i = 4, 5, 6, and over i = 1…6
    double second = (1 / 5.0 + 1 / 6.0 + 1 / 7.0) / 3;
    double all = (1 / 2.0 + 1 / 3.0 + 1 / 4.0 + 1 / 5.0 + 1 / 6.0 + 1 / 7.0) / 6;
    assertArrayEquals(new double[] {second, second, all}, scores.get(2).scores(), 1e-12);
    assertArrayEquals(new double[] {0, 1, 0}, scores.get(3).scores(), 1e-12);
    String html = PrefixMatching.html(scores);
    assertTrue(html.contains("<td>layers=2</td><td><code>decoder.blocks.1.attention</code></td><td>0</td><td>1</td>"
        + "<td class=\"num\">1.000 [1.000–1.000]</td><td class=\"num\">0.000 [0.000–0.000]</td>"), html);
  }

  @Test
  void scoresMeasuredOverABatchAtCaptureWinOverTheOneExample() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tokens", REPEAT);
    doc.put("layers", Map.of("blocks.0.attention", heads()));
    doc.put("repeat_patterns", Map.of("examples", 32, "layers", Map.of("blocks.0.attention", Map.of(
        "prefix_matching", new double[] {0.25, 0.5}, "duplicate_token", new double[] {0.125, 0},
        "previous_token", new double[] {0.75, 1}))));
    List<PrefixMatching.Score> scores = PrefixMatching.scores("v", 3, new ObjectMapper().valueToTree(doc));
    assertEquals(2, scores.size());
    assertArrayEquals(new double[] {0.25, 0.125, 0.75}, scores.get(0).scores());
    assertArrayEquals(new double[] {0.5, 0, 1}, scores.get(1).scores());
    assertEquals(3, scores.get(1).seed());
  }

  @Test
  void onlyARepeatedExampleHasAScore() {
    assertEquals(N, RepeatPatterns.repeatLength(REPEAT));
    assertEquals(0, RepeatPatterns.repeatLength(new int[] {5, 9, 7, 6, 5, 9, 8}));
    assertEquals(0, RepeatPatterns.repeatLength(new int[] {5, 9, 7, 6}));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tokens", new int[] {5, 9, 7, 6, 5, 9, 8});
    doc.put("layers", Map.of("blocks.0.attention", heads()));
    assertEquals(List.of(), PrefixMatching.scores("v", 1, new ObjectMapper().valueToTree(doc)));
  }
}
