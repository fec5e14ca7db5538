package io.ablate.spi.task;

import io.ablate.spi.Experimental;
import java.util.List;

/**
 * A classification task's data as token ids with labels, after {@link Task#prepare}: the framework
 * trains a linear bag-of-tokens baseline on it and reports it beside the Transformer variants.
 */
@Experimental
public interface BagOfTokens {
  List<int[]> trainTokens();

  int[] trainLabels();

  List<int[]> evalTokens();

  int[] evalLabels();

  /** Class names by index. */
  List<String> labels();
}
