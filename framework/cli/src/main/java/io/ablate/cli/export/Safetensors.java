package io.ablate.cli.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes arrays in the safetensors format (huggingface/safetensors): an 8-byte little-endian header
 * length, a JSON header mapping each name to its dtype, shape and byte range, padded with spaces to
 * a multiple of 8, then the arrays' bytes, little-endian and C order, back to back.
 */
public final class Safetensors {
  private Safetensors() {}

  public static void write(Map<String, INDArray> arrays, Map<String, String> metadata, Path file) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", metadata);
    }
    long offset = 0;
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      INDArray a = e.getValue();
      long bytes = a.length() * width(a.dataType());
      header.put(e.getKey(), Map.of("dtype", dtype(a.dataType()), "shape", a.shape(),
          "data_offsets", List.of(offset, offset + bytes)));
      offset += bytes;
    }
    byte[] json = new ObjectMapper().writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] head = new byte[padded];
    java.util.Arrays.fill(head, (byte) ' ');
    System.arraycopy(json, 0, head, 0, json.length);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(head);
      for (INDArray a : arrays.values()) {
        out.write(bytes(a));
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] bytes(INDArray a) {
    INDArray c = a.dup('c');                     // C order, contiguous
    ByteBuffer buf = ByteBuffer.allocate((int) (c.length() * width(c.dataType()))).order(ByteOrder.LITTLE_ENDIAN);
    switch (c.dataType()) {
      case FLOAT -> {
        for (float v : c.data().asFloat()) {
          buf.putFloat(v);
        }
      }
      case DOUBLE -> {
        for (double v : c.data().asDouble()) {
          buf.putDouble(v);
        }
      }
      case INT -> {
        for (int v : c.data().asInt()) {
          buf.putInt(v);
        }
      }
      case LONG -> {
        for (long v : c.data().asLong()) {
          buf.putLong(v);
        }
      }
      default -> throw new IllegalArgumentException("cannot export arrays of type " + c.dataType());
    }
    return buf.array();
  }

  private static String dtype(DataType type) {
    return switch (type) {
      case FLOAT -> "F32";
      case DOUBLE -> "F64";
      case INT -> "I32";
      case LONG -> "I64";
      default -> throw new IllegalArgumentException("cannot export arrays of type " + type);
    };
  }

  private static long width(DataType type) {
    return switch (type) {
      case FLOAT, INT -> 4;
      case DOUBLE, LONG -> 8;
      default -> throw new IllegalArgumentException("cannot export arrays of type " + type);
    };
  }
}
