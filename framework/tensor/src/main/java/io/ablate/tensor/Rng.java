package io.ablate.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded source of random arrays. Independent of ND4J's global generator, so two runs with the
 * same seed draw the same numbers whatever else the process does; one per run (or per purpose).
 */
public final class Rng implements AutoCloseable {
  private final Random random;

  public Rng(long seed) {
    this.random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
  }

  /** Normal(mean, std) samples. */
  public INDArray normal(DataType type, double mean, double std, long... shape) {
    INDArray out = Nd4j.createUninitialized(type, shape);
    Nd4j.getExecutioner().exec(new GaussianDistribution(out, mean, std), random);
    return out;
  }

  /** Uniform samples in [low, high). */
  public INDArray uniform(DataType type, double low, double high, long... shape) {
    INDArray out = Nd4j.createUninitialized(type, shape);
    Nd4j.getExecutioner().exec(new UniformDistribution(out, low, high), random);
    return out;
  }

  /** 1 with probability p, else 0. */
  public INDArray bernoulli(DataType type, double p, long... shape) {
    INDArray out = Nd4j.createUninitialized(type, shape);
    Nd4j.getExecutioner().exec(new BernoulliDistribution(out, p), random);
    return out;
  }

  /** Integers uniform in [0, bound), as INT64. */
  public INDArray integers(long bound, long... shape) {
    INDArray u = uniform(DataType.DOUBLE, 0, bound, shape);
    INDArray ids = org.nd4j.linalg.ops.transforms.Transforms.floor(u, false).castTo(DataType.INT64);
    Memory.release(u);
    return ids;
  }

  /** A new seed drawn from this generator, for deriving independent streams. */
  public long nextSeed() {
    return random.nextLong();
  }

  @Override
  public void close() {
    try {
      random.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not release the random generator", e);
    }
  }
}
