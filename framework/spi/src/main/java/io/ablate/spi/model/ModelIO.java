package io.ablate.spi.model;

/**
 * What a model reads and predicts, fixed by the task and the tokenizer before the model is built.
 *
 * @param objective what the model is trained for
 * @param vocabSize tokens in the vocabulary, special tokens included (0 for image tasks)
 * @param classes output classes for classification objectives (0 otherwise)
 * @param maxLength the longest sequence the model must accept (learned position tables are this long)
 * @param patchDim length of one patch vector for image tasks (0 otherwise)
 */
public record ModelIO(Objective objective, int vocabSize, int classes, int maxLength, int patchDim) {
  public static ModelIO languageModel(int vocabSize, int maxLength) {
    return new ModelIO(Objective.LANGUAGE_MODEL, vocabSize, 0, maxLength, 0);
  }

  public static ModelIO maskedLm(int vocabSize, int maxLength) {
    return new ModelIO(Objective.MASKED_LM, vocabSize, 0, maxLength, 0);
  }

  public static ModelIO classification(int vocabSize, int classes, int maxLength) {
    return new ModelIO(Objective.CLASSIFICATION, vocabSize, classes, maxLength, 0);
  }

  public static ModelIO seq2seq(int vocabSize, int maxLength) {
    return new ModelIO(Objective.SEQ2SEQ, vocabSize, 0, maxLength, 0);
  }

  public static ModelIO imageClassification(int patchDim, int patches, int classes) {
    return new ModelIO(Objective.IMAGE_CLASSIFICATION, 0, classes, patches, patchDim);
  }
}
