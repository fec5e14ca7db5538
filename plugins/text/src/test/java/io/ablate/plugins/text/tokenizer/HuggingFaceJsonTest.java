package io.ablate.plugins.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What each tokenizer's tokenizer.json says (the export test in the CLI checks the ids it gives in
 * Python), and what cannot be expressed is refused with the reason.
 */
class HuggingFaceJsonTest {
  @Test
  void bpeIsABpeModelWithTheEndOfWordSuffixMergesInRankOrderAndSpecialsAsAddedTokens() {
    BpeTokenizer bpe = new BpeTokenizer(new BpeTokenizer.Config(40, 2));
    bpe.train(List.of("low lower lowest low low"));
    Map<String, Object> json = bpe.huggingFaceJson();
    @SuppressWarnings("unchecked")
    Map<String, Object> model = (Map<String, Object>) json.get("model");
    assertEquals("BPE", model.get("type"));
    assertEquals("</w>", model.get("end_of_word_suffix"));
    assertEquals("[UNK]", model.get("unk_token"));
    List<?> merges = (List<?>) model.get("merges");
    assertEquals(bpe.merges().size(), merges.size());
    int[] first = bpe.merges().get(0);
    assertEquals(bpe.token(first[0]) + " " + bpe.token(first[1]), merges.get(0));
    assertEquals(7, ((List<?>) json.get("added_tokens")).size(), "[PAD]…[EOS] and [UNK]");
  }

  @Test
  void byteBpeHasNoUnknownTokenAndTheByteLevelPreTokenizer() {
    ByteBpeTokenizer bytes = new ByteBpeTokenizer(new ByteBpeTokenizer.Config(300, 2));
    bytes.train(List.of("the cat and the hat and the bat"));
    Map<String, Object> json = bytes.huggingFaceJson();
    assertEquals(6, ((List<?>) json.get("added_tokens")).size(), "[PAD]…[EOS]; a byte vocabulary never misses");
    assertEquals("ByteLevel", ((Map<?, ?>) json.get("pre_tokenizer")).get("type"));
    assertEquals(null, ((Map<?, ?>) json.get("model")).get("unk_token"));
  }

  @Test
  void aLearnedTokenSpelledLikeASpecialTokenCannotBeExpressed() {
    BpeTokenizer bpe = new BpeTokenizer(new BpeTokenizer.Config(100, 1));
    bpe.train(List.of(String.join(" ", Collections.nCopies(20, "[PAD]x [PAD]y [PAD]z"))));   // merges reach "[PAD]"
    var e = assertThrows(UnsupportedOperationException.class, bpe::huggingFaceJson);
    assertTrue(e.getMessage().contains("'[PAD]' is spelled like token 0"), e.getMessage());
  }

  @Test
  void lowerCasingTokenizersLowerCaseFirst() {
    WordTokenizer word = new WordTokenizer(new WordTokenizer.Config(true, 1, null));
    word.train(List.of("Hello world"));
    assertEquals(Map.of("type", "Lowercase"), word.huggingFaceJson().get("normalizer"));
    WordPieceTokenizer pieces = new WordPieceTokenizer(new WordPieceTokenizer.Config(50, 1, false, 100));
    pieces.train(List.of("Hello world"));
    assertEquals(null, pieces.huggingFaceJson().get("normalizer"));
  }
}
