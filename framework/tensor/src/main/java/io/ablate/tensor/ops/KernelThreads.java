package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads that run a kernel's parts beside the calling thread, with a hand-off of a few
 * microseconds: an idle worker spins briefly for its next part before it parks, and the caller
 * spins briefly for the others to finish before it parks. A training step hands off about 160
 * times (products, norms, softmax, GELU); through an executor each took 44-80 µs here (a parked
 * thread's wake-up, twice), measured 2026-12-04.
 *
 * <p>Any number of callers may use it at once (concurrent runs of a study): a part that finds no
 * idle worker and no room for a new one runs on the caller.
 */
final class KernelThreads {
  /** How long a worker waits for its next part, and a caller for the other parts, before parking. */
  static final long SPIN_NANOS = 100_000;
  private static final int MAX_WORKERS = 256;
  private static final List<Worker> WORKERS = new CopyOnWriteArrayList<>();
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "ablate-kernel");
    t.setDaemon(true);
    return t;
  });

  private KernelThreads() {}

  /** Runs {@code part} for 0 .. parts − 1: part 0 on the calling thread, the others on workers. */
  static void run(int parts, IntConsumer part) {
    if (!Lever.SPIN_HANDOFF.on()) {
      throughExecutor(parts, part);
      return;
    }
    Batch batch = new Batch(parts - 1);
    int[] inline = new int[parts];
    int inlineCount = 0;
    for (int p = 1; p < parts; p++) {
      Worker w = claim();
      int index = p;
      if (w == null) {
        inline[inlineCount++] = p;
      } else {
        w.give(() -> part.accept(index), batch);
      }
    }
    Throwable mine = null;
    try {
      part.accept(0);
      for (int i = 0; i < inlineCount; i++) {
        part.accept(inline[i]);
      }
    } catch (Throwable e) {
      mine = e;
    }
    for (int i = 0; i < inlineCount; i++) {
      batch.done();
    }
    batch.await();
    rethrow(mine != null ? mine : batch.failure.get());
  }

  /** The hand-off before {@link Lever#SPIN_HANDOFF}: parts submitted to a cached thread pool. */
  private static void throughExecutor(int parts, IntConsumer part) {
    List<Future<?>> others = new ArrayList<>(parts - 1);
    for (int p = 1; p < parts; p++) {
      int index = p;
      others.add(EXECUTOR.submit(() -> part.accept(index)));
    }
    part.accept(0);
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while a kernel ran on another thread", e);
      } catch (ExecutionException e) {
        rethrow(e.getCause());
      }
    }
  }

  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /** An idle worker, now reserved for the caller; a new one when none is idle; null when at the limit. */
  private static Worker claim() {
    for (Worker w : WORKERS) {
      if (w.busy.compareAndSet(false, true)) {
        return w;
      }
    }
    synchronized (WORKERS) {
      if (WORKERS.size() >= MAX_WORKERS) {
        return null;
      }
      Worker w = new Worker(WORKERS.size());
      w.busy.set(true);
      WORKERS.add(w);
      w.thread.start();
      return w;
    }
  }

  /** The parts of one call that run on workers: how many are left, the first failure, who waits. */
  private static final class Batch {
    final AtomicInteger pending;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final Thread caller = Thread.currentThread();
    volatile boolean callerParked;

    Batch(int parts) {
      pending = new AtomicInteger(parts);
    }

    void done() {
      if (pending.decrementAndGet() == 0 && callerParked) {
        LockSupport.unpark(caller);
      }
    }

    void await() {
      long start = System.nanoTime();
      while (pending.get() > 0) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          callerParked = true;
          if (pending.get() > 0) {
            LockSupport.park(this);
          }
          callerParked = false;
        }
      }
    }
  }

  /** One daemon thread that runs the parts given to it, one at a time. */
  private static final class Worker implements Runnable {
    final AtomicBoolean busy = new AtomicBoolean();
    final Thread thread;
    volatile Runnable task;
    volatile Batch batch;
    volatile boolean parked;

    Worker(int number) {
      thread = new Thread(this, "ablate-kernel-" + number);
      thread.setDaemon(true);
    }

    void give(Runnable work, Batch to) {
      batch = to;
      task = work;
      if (parked) {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public void run() {
      while (true) {
        Runnable work = next();
        Batch to = batch;
        try {
          work.run();
        } catch (Throwable e) {
          to.failure.compareAndSet(null, e);
        } finally {
          task = null;
          busy.set(false);
          to.done();
        }
      }
    }

    private Runnable next() {
      long start = System.nanoTime();
      Runnable work;
      while ((work = task) == null) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          parked = true;
          if (task == null) {
            LockSupport.park(this);
          }
          parked = false;
        }
      }
      return work;
    }
  }
}
