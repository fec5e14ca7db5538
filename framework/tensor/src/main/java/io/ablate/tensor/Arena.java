package io.ablate.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A scope that frees every array produced by tensor ops inside it when it closes, except tensors
 * explicitly {@link #keep kept}. Use it around an evaluation pass or a training step:
 *
 * <pre>{@code
 * try (Arena step = Arena.open()) {
 *   Tensor loss = model.loss(batch);
 *   loss.backward();
 * }
 * }</pre>
 *
 * Values computed lazily and cached across steps (position tables, masks) must be created outside
 * any arena or kept, or they are freed with the step. Arenas nest; each is thread-local.
 */
public final class Arena implements AutoCloseable {
  private static final ThreadLocal<ArrayDeque<Arena>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

  private final List<INDArray> owned = new ArrayList<>();
  private final Set<INDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());

  private Arena() {}

  public static Arena open() {
    Arena arena = new Arena();
    OPEN.get().push(arena);
    return arena;
  }

  /** Records an array in the innermost open arena of this thread, if any. */
  static void track(INDArray array) {
    Arena current = OPEN.get().peek();
    if (current != null && array != null) {
      current.owned.add(array);
    }
  }

  /** Exempts a tensor's value from release, e.g. a result returned out of the scope. */
  public Tensor keep(Tensor tensor) {
    kept.add(tensor.value());
    return tensor;
  }

  @Override
  public void close() {
    ArrayDeque<Arena> stack = OPEN.get();
    if (stack.peek() != this) {
      throw new IllegalStateException("arenas must be closed in the reverse order they were opened");
    }
    stack.pop();
    for (INDArray array : owned) {
      if (!kept.contains(array)) {
        Memory.release(array);
      }
    }
    owned.clear();
  }
}
