package io.ablate.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A bad input to a tensor op: names the op and the shapes involved, never a native stack trace. */
public final class TensorException extends RuntimeException {

  public TensorException(String message) {
    super(message);
  }

  public TensorException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Formats shapes as {@code (2, 3, 4)} for error messages. */
  public static String shape(long[] shape) {
    return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
  }

  public static TensorException forOp(String op, String problem, Tensor... inputs) {
    String shapes = Arrays.stream(inputs)
        .map(t -> shape(t.shape()))
        .collect(Collectors.joining(", "));
    return new TensorException(op + ": " + problem + " — input shapes " + shapes);
  }
}
