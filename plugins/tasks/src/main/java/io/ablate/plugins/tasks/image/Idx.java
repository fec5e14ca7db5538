package io.ablate.plugins.tasks.image;

import io.ablate.spi.ConfigException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the IDX files of MNIST-style datasets (optionally gzipped): unsigned bytes, big-endian header. */
final class Idx {
  private static final int IMAGES = 0x00000803;
  private static final int LABELS = 0x00000801;

  private Idx() {}

  /** Images as bytes, row-major (n, rows, cols), with their shape. */
  record Images(byte[] pixels, int count, int rows, int cols) {}

  static Images images(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != IMAGES) {
        throw new ConfigException(file + " is not an IDX image file (magic " + Integer.toHexString(magic)
            + ", expected 803)");
      }
      int count = Math.min(in.readInt(), limit);
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] pixels = new byte[count * rows * cols];
      in.readFully(pixels);
      return new Images(pixels, count, rows, cols);
    }
  }

  static byte[] labels(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != LABELS) {
        throw new ConfigException(file + " is not an IDX label file (magic " + Integer.toHexString(magic)
            + ", expected 801)");
      }
      int count = Math.min(in.readInt(), limit);
      byte[] labels = new byte[count];
      in.readFully(labels);
      return labels;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
  }
}
