package io.ablate.plugins.tasks.pairs;

/** One example of a string-to-string task, e.g. {@code three hundred twelve} → {@code 312}. */
public record Pair(String source, String target) {}
