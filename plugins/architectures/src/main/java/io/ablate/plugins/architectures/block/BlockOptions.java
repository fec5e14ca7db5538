package io.ablate.plugins.architectures.block;

import io.ablate.spi.ComponentSpec;

/**
 * What every block of a stack is made of. Architectures take these from their config.
 *
 * @param attention the attention component (self-attention, and cross-attention in seq2seq decoders)
 * @param norm the normalisation component
 * @param placement pre or post
 * @param residual residual connections on or off
 * @param ffn the feed-forward component
 * @param dropout dropout on each sub-layer's output before the residual sum
 */
public record BlockOptions(ComponentSpec attention, ComponentSpec norm, Placement placement, boolean residual,
    ComponentSpec ffn, double dropout) {}
