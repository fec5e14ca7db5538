package io.ablate.experiment.run;

/**
 * What one variant costs, from its runs' records.
 *
 * @param parameters trainable parameters
 * @param flopsPerToken training FLOPs per token: 6 × parameters plus the attention score and mixing
 *     matmuls (see {@link ModelCost}); 0 when unknown
 */
public record VariantCost(long parameters, double flopsPerToken) {}
