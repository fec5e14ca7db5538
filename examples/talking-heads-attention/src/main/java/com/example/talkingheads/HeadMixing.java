package com.example.talkingheads;

import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.MatMul;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A learned H × H map across the heads axis of attention logits or weights. */
final class HeadMixing {
  private HeadMixing() {}

  /**
   * @param x (B, H, Tq, Tk)
   * @param mix (H, H): output head g is Σ_h x[h] · mix[h, g]
   * @return (B, H, Tq, Tk)
   */
  static Tensor apply(Tensor x, Tensor mix) {
    Tensor headsLast = x.permute(0, 2, 3, 1);                 // (B, Tq, Tk, H)
    return MatMul.linear(headsLast, mix, null)                // (B, Tq, Tk, H)
        .permute(0, 3, 1, 2);                                 // (B, H, Tq, Tk)
  }

  /** The initial (H, H) matrix. */
  static INDArray initial(TalkingHeadsAttention.Init init, int heads, Rng rng, DataType type) {
    return switch (init) {
      case IDENTITY -> Nd4j.eye(heads).castTo(type);
      case ORTHOGONAL -> Nd4j.create(orthogonal(rng.normal(DataType.DOUBLE, 0, 1, heads, heads).toDoubleMatrix()))
          .castTo(type);
    };
  }

  /** Q of the QR decomposition of a Gaussian matrix, columns signed by diag(R) so that Q is Haar-distributed. */
  static double[][] orthogonal(double[][] gaussian) {
    QRDecomposition qr = new QRDecomposition(new Array2DRowRealMatrix(gaussian));
    RealMatrix q = qr.getQ();
    RealMatrix r = qr.getR();
    double[][] out = q.getData();
    for (int j = 0; j < out.length; j++) {
      double sign = Math.signum(r.getEntry(j, j)) < 0 ? -1 : 1;
      for (int i = 0; i < out.length; i++) {
        out[i][j] *= sign;
      }
    }
    return out;
  }
}
