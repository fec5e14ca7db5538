package io.ablate.tensor;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Counts of native work that do not depend on how busy the machine is: libnd4j op invocations
 * (ND4J's own op profiler, off unless {@link #enable()}d) and ND4J objects with native memory
 * created (every data buffer and op context takes a number from ND4J's deallocator service).
 * Compare a training step before and after a change with these, not with wall-clock time.
 */
public final class NativeCounters {
  private static final Field CREATED = createdCounter();

  private NativeCounters() {}

  /** Turns on ND4J's op counting (a little slower per op; for profiling only). */
  public static void enable() {
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
  }

  /** Turns ND4J's op counting off again. */
  public static void disable() {
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
  }

  public static boolean enabled() {
    ProfilerConfig config = OpProfiler.getInstance().getConfig();
    return config != null && config.isCheckElapsedTime();
  }

  /** libnd4j ops run since the counting was enabled (BLAS level-1 calls and element reads not included). */
  public static long opCalls() {
    return OpProfiler.getInstance().getInvocationsCount();
  }

  /** Data buffers and op contexts created since start-up: each is a native allocation. */
  public static long nativeObjectsCreated() {
    try {
      return ((AtomicLong) CREATED.get(Nd4j.getDeallocatorService())).get();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field createdCounter() {
    try {
      Field f = DeallocatorService.class.getDeclaredField("counter");
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("this ND4J version's DeallocatorService has no 'counter' field", e);
    }
  }
}
