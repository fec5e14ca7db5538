package io.ablate.plugins.architectures;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import io.ablate.plugins.architectures.decoder.Decoder;
import io.ablate.plugins.architectures.encoder.Encoder;
import io.ablate.plugins.architectures.rnn.RnnAttention;
import io.ablate.plugins.architectures.seq2seq.EncoderDecoder;
import io.ablate.plugins.architectures.vit.VisionTransformer;
import java.util.List;

/** Built-in architectures: each composes tokenizer-independent components by name. */
public final class ArchitecturesPlugin implements Plugin {
  @Override
  public String name() {
    return "ablate-architectures";
  }

  @Override
  public String spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public List<ComponentFactory<?, ?>> factories() {
    return List.of(Decoder.FACTORY, Encoder.FACTORY, EncoderDecoder.FACTORY, VisionTransformer.FACTORY,
        RnnAttention.FACTORY);
  }
}
