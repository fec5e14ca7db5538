package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentSpec;
import io.ablate.tensor.Rng;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A tiny model learns the real text tasks in a few dozen steps: the tasks feed it learnable signal. */
class TextTaskTrainingTest {
  @Test
  void aTinyDecoderLowersHeldOutLossOnTheBible() {
    Assumptions.assumeTrue(RealTextDataTest.bibleInstalled(), "skipped: Debian package bible-kjv is not installed");
    var p = LanguageModelTaskTest.prepare("lm-bible", Map.of("max_chars", 100_000, "train_context", 32,
        "eval_contexts", List.of(32, 64), "scored_tokens", 16, "eval_windows", 32), "char");
    try (Rng rng = new Rng(4); TaskRunner runner = new TaskRunner(p.task(), p.io(), ComponentSpec.of("decoder")
        .with("d_model", 32).with("layers", 1).with("heads", 2).with("positional", "alibi"), 4)) {
      double before = runner.evaluate().metrics().get("loss");
      runner.train(40, 16, 1e-2, rng);
      var after = runner.evaluate().metrics();
      assertTrue(after.get("loss") < before - 0.8, "held-out loss " + before + " → " + after.get("loss"));
      assertTrue(after.get("bits_per_char") < 4.0, "below a uniform guess over ~60 characters: " + after);
    }
  }

  @Test
  void aTinyEncoderDecoderLearnsNumberWordsTokens() {
    var p = PairTasksTest.prepare("number-words", Map.of("max_number", 999, "train_examples", 800,
        "eval_examples", 64), 1);
    try (Rng rng = new Rng(5); TaskRunner runner = new TaskRunner(p.task(), p.io(), ComponentSpec.of("encoder-decoder")
        .with("d_model", 32).with("layers", 1).with("heads", 2), 5)) {
      var before = runner.evaluate().metrics();
      runner.train(60, 32, 1e-2, rng);
      var after = runner.evaluate().metrics();
      assertTrue(after.get("loss") < before.get("loss") - 0.5, before + " → " + after);
      assertTrue(after.get("token_accuracy") > before.get("token_accuracy") + 0.2, before + " → " + after);
      assertTrue(after.containsKey("exact_match"));
    }
  }
}
