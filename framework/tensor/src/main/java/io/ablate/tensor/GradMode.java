package io.ablate.tensor;

/**
 * Whether ops record themselves for backward. Thread-local, so parallel runs do not interfere.
 *
 * <pre>{@code
 * try (var ignored = GradMode.noGrad()) {
 *   logits = model.forward(batch);   // nothing recorded, nothing kept for backward
 * }
 * }</pre>
 */
public final class GradMode {
  private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

  private GradMode() {}

  public static boolean isEnabled() {
    return ENABLED.get();
  }

  /** Disables recording until the returned scope is closed; scopes nest. */
  public static Scope noGrad() {
    boolean previous = ENABLED.get();
    ENABLED.set(Boolean.FALSE);
    return () -> ENABLED.set(previous);
  }

  /** A scope that restores the previous mode on close and throws nothing. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
