package io.ablate.tracking;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far an outbox has been delivered to one destination, and which store ids its experiments and
 * runs got there. Saved atomically after every delivered batch, next to the outbox as
 * {@code delivered-<hash of destination>.json}, so each destination (the local store, a server,
 * a later {@code ablate sync}) has its own progress.
 */
public final class DeliveryState {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The persisted fields. */
  public static final class Data {
    public String destination;
    public long offset;
    public Map<String, String> experiments = new LinkedHashMap<>();
    public Map<String, String> runs = new LinkedHashMap<>();
    public long rejected;
  }

  private final Path file;
  private final Data data;

  private DeliveryState(Path file, Data data) {
    this.file = file;
    this.data = data;
  }

  public static DeliveryState load(Path outboxDir, String destination) {
    Path file = outboxDir.resolve("delivered-" + hash(destination) + ".json");
    Data data = new Data();
    if (Files.isRegularFile(file)) {
      try {
        data = JSON.readValue(file.toFile(), Data.class);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read delivery progress " + file, e);
      }
    }
    data.destination = destination;
    return new DeliveryState(file, data);
  }

  public long offset() {
    return data.offset;
  }

  public void advance(long offset) {
    data.offset = offset;
  }

  public String experiment(String name) {
    return data.experiments.get(name);
  }

  public void experiment(String name, String id) {
    data.experiments.put(name, id);
  }

  public String run(String key) {
    return data.runs.get(key);
  }

  public void run(String key, String id) {
    data.runs.put(key, id);
  }

  public long rejected() {
    return data.rejected;
  }

  public void reject() {
    data.rejected++;
  }

  public void save() {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), data);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write delivery progress " + file, e);
    }
  }

  static String hash(String destination) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(destination.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
