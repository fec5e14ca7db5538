package io.ablate.plugins.tasks.synthetic;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Right-padded integer matrices and masks from ragged id lists. */
public final class Padding {
  private Padding() {}

  /** (B, T) INT64 ids, padded with {@code fill} to the longest row. */
  public static INDArray ids(List<int[]> rows, long fill) {
    int t = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    long[][] out = new long[rows.size()][t];
    for (int i = 0; i < rows.size(); i++) {
      java.util.Arrays.fill(out[i], fill);
      for (int j = 0; j < rows.get(i).length; j++) {
        out[i][j] = rows.get(i)[j];
      }
    }
    return Nd4j.createFromArray(out);
  }

  /** (B, T) FLOAT mask: 1 for the first {@code length(row)} positions. */
  public static INDArray mask(List<int[]> rows) {
    int t = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    float[][] out = new float[rows.size()][t];
    for (int i = 0; i < rows.size(); i++) {
      java.util.Arrays.fill(out[i], 0, rows.get(i).length, 1f);
    }
    return Nd4j.createFromArray(out).castTo(DataType.FLOAT);
  }
}
