package com.example.talkingheads;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import java.util.List;

/** The plugin's entry point, listed in {@code META-INF/services/io.ablate.spi.Plugin}. */
public final class TalkingHeadsPlugin implements Plugin {
  @Override
  public String name() {
    return "talking-heads-attention";
  }

  @Override
  public String spiVersion() {
    return Spi.VERSION;   // a constant: compiled into this class, so it records the SPI this jar was built against
  }

  @Override
  public List<ComponentFactory<?, ?>> factories() {
    return List.of(TalkingHeadsAttention.FACTORY);
  }
}
