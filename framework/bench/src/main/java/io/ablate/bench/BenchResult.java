package io.ablate.bench;

import java.util.Map;

/**
 * What one benchmark run measured. Times are means over the timed steps; {@code rssMbAtStep} holds
 * the resident set size sampled at steps 1, 100, 1000, 5000, … and at the last step.
 */
public record BenchResult(
    String config,
    int steps,
    long parameters,
    double tokensPerSecond,
    double msPerStep,
    double msForward,
    double msBackward,
    double msOptimizer,
    double gflops,
    double peakGemmGflops,
    double mfu,
    double firstLoss,
    double lastLoss,
    double rssMb,
    Map<Integer, Double> rssMbAtStep) {}
