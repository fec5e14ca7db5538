package io.ablate.tracking;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the training side talks to: appends events to the study's {@link Outbox} (cheap, on the
 * caller's thread) while a background thread delivers them to the store, retrying with backoff
 * while the store is away. Closing waits a bounded time for delivery; what is still pending stays
 * in the outbox for the next run or {@code ablate sync}.
 *
 * <p>A run that is started again (an interrupted run retrained from scratch) re-attaches to its
 * run in the store, and metric values at steps it already logged are not logged twice.
 */
public final class Tracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);

  private final Path dir;
  private final Outbox outbox;
  private final Sender sender;
  private final Set<String> started = new HashSet<>();
  private final Map<String, RunStatus> ended = new HashMap<>();
  private final Map<String, Long> lastStep = new HashMap<>();
  private boolean closed;

  private Tracker(Path dir, TrackingStore store, Duration interval) {
    this.dir = dir;
    index(dir);
    this.outbox = new Outbox(dir);
    this.sender = new Sender(outbox, new Delivery(dir, store), interval);
    sender.start();
  }

  /** Opens (or continues) the outbox in {@code dir} and starts delivering it to {@code store}. */
  public static Tracker open(Path dir, TrackingStore store) {
    return new Tracker(dir, store, Duration.ofSeconds(1));
  }

  static Tracker open(Path dir, TrackingStore store, Duration interval) {
    return new Tracker(dir, store, interval);
  }

  /** What earlier attempts wrote: started and ended runs, and the last step of every metric. */
  private void index(Path dir) {
    for (Outbox.Entry e : Outbox.read(dir.resolve(Outbox.FILE), 0, Integer.MAX_VALUE)) {
      if (e.event() instanceof Event.StartRun s) {
        started.add(s.run());
        ended.remove(s.run());
      } else if (e.event() instanceof Event.Log l) {
        l.metrics().forEach(m -> lastStep.merge(l.run() + "\u0000" + m.key(), m.step(), Math::max));
      } else if (e.event() instanceof Event.EndRun end) {
        ended.put(end.run(), end.status());
      }
    }
  }

  public Path directory() {
    return dir;
  }

  public String destination() {
    return sender.delivery().store().describe();
  }

  public synchronized boolean wasStarted(String run) {
    return started.contains(run);
  }

  /** The status a run ended with in an earlier attempt or this one, or null. */
  public synchronized RunStatus endStatus(String run) {
    return ended.get(run);
  }

  /**
   * What the store already holds of a run logged by an attempt on another machine (no outbox here to
   * say so): values at these steps or earlier are not logged again.
   *
   * @param lastSteps the last logged step of each metric, by MLflow metric key
   */
  public synchronized void loggedBefore(String run, Map<String, Long> lastSteps) {
    lastSteps.forEach((key, step) -> lastStep.merge(run + "\u0000" + key, step, Math::max));
  }

  public synchronized void startRun(String run, String experiment, String parent, String name,
      Map<String, String> tags) {
    started.add(run);
    ended.remove(run);
    outbox.append(new Event.StartRun(run, experiment, parent, name, System.currentTimeMillis(), tags));
  }

  public void log(String run, Map<String, String> params, Map<String, String> tags) {
    outbox.append(new Event.Log(run, List.of(), params, tags));
  }

  /**
   * Logs one value. A value at a step this run already logged (in an earlier attempt) is dropped:
   * a retrained run recomputes the same numbers, and MLflow would keep both.
   */
  public void metric(String run, String ablateName, double value, long step) {
    String key = MlflowNames.metric(ablateName);
    synchronized (this) {
      Long last = lastStep.get(run + "\u0000" + key);
      if (last != null && step <= last) {
        return;
      }
      lastStep.put(run + "\u0000" + key, step);
    }
    outbox.append(new Event.Log(run, List.of(new MetricPoint(key, value, System.currentTimeMillis(), step)),
        Map.of(), Map.of()));
  }

  public void artifact(String run, String dir, Path file) {
    outbox.append(new Event.Artifact(run, dir, file.toAbsolutePath().toString()));
  }

  public synchronized void endRun(String run, RunStatus status) {
    ended.put(run, status);
    outbox.append(new Event.EndRun(run, status, System.currentTimeMillis()));
    outbox.sync();
    sender.wake();
  }

  /** Asks for delivery now (e.g. after an evaluation). */
  public void flush() {
    outbox.flush();
    sender.wake();
  }

  /** Bytes of events not yet delivered. */
  public long pendingBytes() {
    outbox.flush();
    return sender.delivery().pendingBytes();
  }

  /**
   * Waits up to {@code wait} for everything to be delivered, then stops.
   *
   * @return true when nothing is left undelivered
   */
  public synchronized boolean close(Duration wait) {
    if (closed) {
      return sender.delivery().pendingBytes() == 0;
    }
    closed = true;
    outbox.sync();
    boolean done = sender.drain(wait);
    outbox.close();
    if (!done) {
      LOG.warn("{} KB of tracking events not yet delivered to {}; they are kept in {} and will be sent by the "
          + "next run of this study or by `ablate sync {}`", Math.max(1, sender.delivery().pendingBytes() / 1024),
          destination(), outbox.file(), dir);
    }
    return done;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /**
   * Delivers an outbox to a store without training: {@code ablate sync}. Retries with backoff until
   * everything is delivered or {@code wait} has passed.
   *
   * @return what is left undelivered, in bytes
   */
  public static long sync(Path dir, TrackingStore store, Duration wait) {
    Sender sender = new Sender(null, new Delivery(dir, store), Duration.ofMillis(200));
    sender.start();
    sender.drain(wait);
    return sender.delivery().pendingBytes();
  }

  /** The background delivery thread. */
  private static final class Sender extends Thread {
    private static final long MAX_BACKOFF_MS = 30_000;

    private final Outbox outbox;
    private final Delivery delivery;
    private final long intervalMs;
    private volatile boolean stopping;
    private volatile boolean failing;
    private long backoffMs;

    Sender(Outbox outbox, Delivery delivery, Duration interval) {
      super("ablate-tracking");
      setDaemon(true);
      this.outbox = outbox;
      this.delivery = delivery;
      this.intervalMs = interval.toMillis();
      this.backoffMs = intervalMs;
    }

    Delivery delivery() {
      return delivery;
    }

    synchronized void wake() {
      notifyAll();
    }

    @Override
    public void run() {
      while (!stopping) {
        boolean ok = attempt();
        synchronized (this) {
          if (stopping) {
            return;
          }
          try {
            wait(ok ? intervalMs : backoffMs);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    /** One delivery attempt; false when the store is away. */
    private boolean attempt() {
      try {
        if (outbox != null) {
          outbox.flush();
        }
        int n = delivery.deliverPending();
        if (failing) {
          LOG.info("{} is back: delivered {} pending tracking event(s)", delivery.store().describe(), n);
          failing = false;
        }
        backoffMs = intervalMs;
        return true;
      } catch (TrackingException e) {
        if (!failing) {
          LOG.warn("tracking store unreachable ({}); training goes on and events are kept in the outbox, "
              + "retried with backoff", e.getMessage());
          failing = true;
        }
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        return false;
      } catch (RuntimeException e) {
        LOG.error("tracking delivery failed; events are kept in the outbox", e);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        return false;
      }
    }

    /** Stops the thread and delivers what it can within {@code wait}; true when nothing is pending. */
    boolean drain(Duration wait) {
      synchronized (this) {
        stopping = true;
        notifyAll();
      }
      try {
        join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long deadline = System.nanoTime() + wait.toNanos();
      long pause = 250;
      while (true) {
        if (attempt() && delivery.pendingBytes() == 0) {
          return true;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return delivery.pendingBytes() == 0;
        }
        try {
          Thread.sleep(Math.min(left, pause));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        pause = Math.min(5_000, pause * 2);
      }
    }
  }
}
