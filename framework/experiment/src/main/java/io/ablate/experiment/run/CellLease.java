package io.ablate.experiment.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The right to train one cell (a run), held by one process on one machine, through a lease file in
 * the run's folder that works on a shared file system where {@code flock} does not (NFS):
 *
 * <ul>
 *   <li>taken by creating {@code cell.lease} with O_EXCL ({@code CREATE_NEW}, atomic on NFSv3 and later): of
 *       two processes, one wins;
 *   <li>kept alive by a heartbeat that touches the file every {@code timeout / 4};
 *   <li>taken over when its modification time is older than {@code timeout} (the holder died without
 *       releasing it): the taker first wins {@code cell.takeover-<token>} with O_EXCL, so of two takers of
 *       the same stale lease one deletes it, and then creates a fresh lease with O_EXCL like anyone else;
 *   <li>a holder whose heartbeat finds the file gone or someone else's (it was presumed dead) hears
 *       {@code lost} and must stop writing.
 * </ul>
 *
 * A holder on the same host whose process has exited (SIGKILL, a crash) is stale at once.
 * Modification times are compared with this machine's clock: machines sharing a folder need clocks
 * agreeing (NTP) to well within the timeout.
 */
public final class CellLease implements AutoCloseable {
  public static final String FILE = "cell.lease";
  /** The default time after which a lease not refreshed is taken over. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Path file;
  private final String token;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean released;

  private CellLease(Path file, String token, Duration timeout, Runnable lost) {
    this.file = file;
    this.token = token;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ablate-lease-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(50, timeout.toMillis() / 4);
    heartbeat.scheduleAtFixedRate(() -> beat(lost), period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease of the cell in {@code runDir}, or empty when a live holder has it.
   *
   * @param lost called (on the heartbeat thread) if the lease is found taken over while held
   */
  public static Optional<CellLease> tryAcquire(Path runDir, Duration timeout, Runnable lost) {
    Path file = runDir.resolve(FILE);
    String token = owner() + " " + UUID.randomUUID();
    try {
      Files.createDirectories(runDir);
      for (int attempt = 0; attempt < 3; attempt++) {
        if (create(file, token)) {
          return Optional.of(new CellLease(file, token, timeout, lost));
        }
        Optional<String> stale = staleHolder(file, timeout);
        if (stale.isEmpty() || !takeOver(runDir, file, stale.get())) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease " + file, e);
    }
  }

  /** The holder written in the lease file of {@code runDir} (host, pid, token), if there is one. */
  public static Optional<String> holder(Path runDir) {
    try {
      return Optional.of(Files.readString(runDir.resolve(FILE), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code runDir} holds a lease refreshed within {@code timeout} whose holder is not known dead. */
  public static boolean live(Path runDir, Duration timeout) {
    try {
      Path file = runDir.resolve(FILE);
      return age(file).compareTo(timeout) <= 0 && !deadOnThisHost(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean create(Path file, String token) throws IOException {
    try {
      Files.writeString(file, token, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * The holder of a lease not refreshed within {@code timeout} ("" when the file is gone: try again),
   * or empty when it is live.
   */
  private static Optional<String> staleHolder(Path file, Duration timeout) throws IOException {
    try {
      String holder = Files.readString(file, StandardCharsets.UTF_8);
      Duration age = age(file);
      if (deadOnThisHost(holder)) {
        return Optional.of(holder);
      }
      // a holder that died between creating the file and writing itself in leaves it empty: its time names it
      return age.compareTo(timeout) > 0 ? Optional.of(holder.isEmpty() ? "empty@" + age.toMillis() : holder)
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.of("");
    }
  }

  private static Duration age(Path file) throws IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    return Duration.ofMillis(System.currentTimeMillis() - modified.toMillis());
  }

  /** Deletes a stale lease held by {@code holder}, if this process wins the right to. */
  private static boolean takeOver(Path runDir, Path file, String holder) throws IOException {
    if (holder.isEmpty()) {
      return true;
    }
    Path marker = runDir.resolve("cell.takeover-" + RunKeys.sha256(holder).substring(0, 16));
    try {
      Files.createFile(marker);                   // O_EXCL: one taker per stale lease
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    try {
      String now = Files.readString(file, StandardCharsets.UTF_8);
      if (now.equals(holder) || now.isEmpty() && holder.startsWith("empty@")) {                   // only the stale holder could have changed it, and touches keep it
        Files.delete(file);
      }
      return true;
    } catch (NoSuchFileException e) {
      return true;
    } finally {
      Files.deleteIfExists(marker);
    }
  }

  private void beat(Runnable lost) {
    if (released) {
      return;
    }
    try {
      if (!Files.readString(file, StandardCharsets.UTF_8).equals(token)) {
        throw new NoSuchFileException(file.toString());
      }
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      if (!released) {
        released = true;
        heartbeat.shutdown();
        lost.run();
      }
    }
  }

  /** Whether this process still holds the lease (it was not taken over). */
  public boolean held() {
    try {
      return !released && Files.readString(file, StandardCharsets.UTF_8).equals(token);
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the heartbeat and deletes the lease file if it is still this holder's. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    heartbeat.shutdownNow();
    try {
      if (Files.readString(file, StandardCharsets.UTF_8).equals(token)) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // gone already: nothing to release
    }
  }

  /** {@code host pid N started T}: enough to tell, on the same host, that the holder has exited. */
  private static String owner() {
    ProcessHandle self = ProcessHandle.current();
    return HOST + " pid " + self.pid() + " started " + self.info().startInstant().map(Object::toString).orElse("?");
  }

  /** A holder on this host whose process is gone (killed): stale at once, without waiting for the timeout. */
  private static boolean deadOnThisHost(String holder) {
    java.util.regex.Matcher m = HOLDER.matcher(holder);
    if (!m.lookingAt() || !m.group(1).equals(HOST)) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(m.group(2)));
    return process.isEmpty() || !process.get().isAlive()
        || !process.get().info().startInstant().map(Object::toString).orElse("?").equals(m.group(3));
  }

  private static final java.util.regex.Pattern HOLDER = java.util.regex.Pattern.compile("(\\S+) pid (\\d+) started (\\S+) ");

  private static final String HOST = host();

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
