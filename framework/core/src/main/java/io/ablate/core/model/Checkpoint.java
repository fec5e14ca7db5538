package io.ablate.core.model;

import io.ablate.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and restores every parameter and buffer of a model, bit for bit, by name. Loading into a
 * model built from the same spec gives the same outputs; a missing or mismatched array is an error
 * naming it.
 */
public final class Checkpoint {
  private static final int MAGIC = 0xAB1A7E01;

  private Checkpoint() {}

  public static void save(ParameterStore store, Path file) throws IOException {
    Map<String, INDArray> arrays = arrays(store);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      out.writeInt(MAGIC);
      out.writeInt(arrays.size());
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        out.writeUTF(e.getKey());
        Nd4j.write(e.getValue(), out);
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static void load(ParameterStore store, Path file) throws IOException {
    Map<String, INDArray> targets = arrays(store);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not an Ablate checkpoint");
      }
      int n = in.readInt();
      if (n != targets.size()) {
        throw new IOException(file + " holds " + n + " arrays, the model has " + targets.size());
      }
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        INDArray saved = Nd4j.read(in);
        INDArray target = targets.get(name);
        if (target == null) {
          throw new IOException(file + ": array '" + name + "' is not in the model; model has " + targets.keySet());
        }
        if (!Arrays.equals(saved.shape(), target.shape())) {
          throw new IOException(file + ": array '" + name + "' has shape " + Arrays.toString(saved.shape())
              + ", the model expects " + Arrays.toString(target.shape()));
        }
        target.assign(saved.castTo(target.dataType()));
      }
    }
  }

  /** Every array of a checkpoint by name, in saved order, without a model (for export). */
  public static Map<String, INDArray> read(Path file) throws IOException {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not an Ablate checkpoint");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        arrays.put(name, Nd4j.read(in));
      }
    }
    return arrays;
  }

  private static Map<String, INDArray> arrays(ParameterStore store) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (Tensor p : store.parameters().list()) {
      arrays.put(p.name(), p.value());
    }
    arrays.putAll(store.buffers());
    return arrays;
  }
}
