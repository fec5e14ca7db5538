package io.ablate.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only event log of one study ({@code events.jsonl}): every tracking event is written
 * here first and delivered from here, so a tracking server that is away costs nothing. Lines are
 * read back by byte offset; a torn last line (a crash mid-write) is ignored until completed.
 */
public final class Outbox implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Outbox.class);
  public static final String FILE = "events.jsonl";

  /** An event (null for an unreadable line) and the byte offset just after its line. */
  public record Entry(Event event, long end) {}

  private final Path file;
  private final FileChannel channel;
  private final Writer out;
  private boolean closed;

  public Outbox(Path dir) {
    this.file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      out = Channels.newWriter(channel, StandardCharsets.UTF_8);
      if (endsMidLine(file)) {
        out.write('\n');                  // a crash cut the last line short: end it, so it is skipped alone
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the tracking outbox " + file, e);
    }
  }

  private static boolean endsMidLine(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      if (in.length() == 0) {
        return false;
      }
      in.seek(in.length() - 1);
      return in.read() != '\n';
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Appends an event; after {@link #close} (the process is shutting down) the event is dropped and
   * false returned: a run still training then is interrupted anyway and is retrained on resume.
   */
  public synchronized boolean append(Event event) {
    if (closed) {
      return false;
    }
    try {
      out.write(JSON.writeValueAsString(event));
      out.write('\n');
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /** Hands what was appended to the operating system (survives the process, not a power cut). */
  public synchronized void flush() {
    if (closed) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** {@link #flush} and then to disk (survives a power cut). */
  public synchronized void sync() {
    if (closed) {
      return;
    }
    flush();
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      sync();
      closed = true;
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }

  /** The complete events after byte {@code from}, at most {@code max}. */
  public static List<Entry> read(Path file, long from, int max) {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return entries;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (from >= length) {
        return entries;
      }
      in.seek(from);
      byte[] rest = new byte[(int) Math.min(length - from, 64L << 20)];
      in.readFully(rest);
      int start = 0;
      for (int i = 0; i < rest.length && entries.size() < max; i++) {
        if (rest[i] == '\n') {
          String line = new String(rest, start, i - start, StandardCharsets.UTF_8);
          if (!line.isBlank()) {
            try {
              entries.add(new Entry(JSON.readValue(line, Event.class), from + i + 1));
            } catch (com.fasterxml.jackson.core.JacksonException torn) {
              LOG.warn("skipping an unreadable line of {} at byte {} (cut short by a crash?)", file, from + start);
              entries.add(new Entry(null, from + i + 1));
            }
          }
          start = i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return entries;
  }
}
