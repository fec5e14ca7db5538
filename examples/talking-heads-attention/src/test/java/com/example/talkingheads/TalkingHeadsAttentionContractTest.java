package com.example.talkingheads;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.testkit.AttentionContract;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit's attention contract: shapes for self- and cross-attention, no leakage from
 * future positions, padded keys ignored, finite-difference gradients of inputs and every parameter,
 * seeded initialisation, composition with every registered positional encoding.
 */
class TalkingHeadsAttentionContractTest extends AttentionContract<TalkingHeadsAttention.Config> {
  @Override
  protected ComponentFactory<TalkingHeadsAttention.Config, Attention> factory() {
    return TalkingHeadsAttention.FACTORY;
  }

  /**
   * Not CAPTURES_WEIGHTS: the weights it records are mixed across heads after the softmax, so their
   * rows are not distributions, which is what that capability promises.
   */
  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.CROSS);
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("init", "orthogonal", "bias", false));
  }
}
