package io.ablate.plugins.tasks.synthetic;

import io.ablate.spi.model.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Teacher-forced scores of one batch: a row is an exact match when every scored target is the
 * arg-max prediction given the correct prefix; token accuracy counts scored targets.
 *
 * @param exactRows rows whose scored targets are all right
 * @param rows rows in the batch
 * @param correctTokens scored targets predicted right
 * @param tokens scored targets
 */
public record TeacherForcing(double exactRows, double rows, double correctTokens, double tokens) {
  public static TeacherForcing score(INDArray logits, INDArray targets) {
    INDArray predicted = Nd4j.argMax(logits, 2);                                    // (B, T)
    INDArray scored = targets.neq(Batch.IGNORE).castTo(DataType.DOUBLE);            // (B, T)
    INDArray correct = predicted.eq(targets).castTo(DataType.DOUBLE).muli(scored);  // (B, T)
    INDArray perRowScored = scored.sum(1);                                          // (B)
    INDArray perRowCorrect = correct.sum(1);                                        // (B)
    return new TeacherForcing(perRowCorrect.eq(perRowScored).castTo(DataType.DOUBLE).sumNumber().doubleValue(),
        targets.size(0), perRowCorrect.sumNumber().doubleValue(), perRowScored.sumNumber().doubleValue());
  }

  public double exactMatch() {
    return exactRows / rows;
  }

  public double tokenAccuracy() {
    return correctTokens / tokens;
  }

  public TeacherForcing plus(TeacherForcing other) {
    return new TeacherForcing(exactRows + other.exactRows, rows + other.rows, correctTokens + other.correctTokens,
        tokens + other.tokens);
  }
}
