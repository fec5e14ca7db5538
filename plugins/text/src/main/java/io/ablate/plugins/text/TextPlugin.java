package io.ablate.plugins.text;

import io.ablate.plugins.text.embedding.RandomEmbedding;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import java.util.List;

/** Built-in tokenizers and embedding initialisations. */
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
    return List.of(RandomEmbedding.FACTORY);
  }
}
