package io.ablate.plugins.text;

import io.ablate.plugins.text.embedding.RandomEmbedding;
import io.ablate.plugins.text.embedding.Word2VecEmbedding;
import io.ablate.plugins.text.tokenizer.BpeTokenizer;
import io.ablate.plugins.text.tokenizer.ByteBpeTokenizer;
import io.ablate.plugins.text.tokenizer.CharTokenizer;
import io.ablate.plugins.text.tokenizer.ImagePatches;
import io.ablate.plugins.text.tokenizer.WordPieceTokenizer;
import io.ablate.plugins.text.tokenizer.WordTokenizer;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import java.util.List;

/** Built-in tokenizers (char, word, bpe, wordpiece, byte-bpe, patches) and embedding initialisations. */
public final class TextPlugin implements Plugin {
  @Override
  public String name() {
    return "ablate-text";
  }

  @Override
  public String spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public List<ComponentFactory<?, ?>> factories() {
    return List.of(
        CharTokenizer.FACTORY,
        WordTokenizer.FACTORY,
        BpeTokenizer.FACTORY,
        WordPieceTokenizer.FACTORY,
        ByteBpeTokenizer.FACTORY,
        ImagePatches.FACTORY,
        RandomEmbedding.FACTORY,
        Word2VecEmbedding.FACTORY);
  }
}
