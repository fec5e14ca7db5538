package io.ablate.core.model;

import io.ablate.core.plugin.Registry;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Parameters;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;

/** The framework's {@link BuildContext}: immutable, each {@code with…} returns a derived context. */
public final class ModelContext implements BuildContext {
  private final Registry registry;
  private final ParameterStore params;
  private final Dims dims;
  private final ModelIO io;
  private final PositionalEncoding positional;
  private final RunState state;
  private final Rng rng;
  private final TokenCorpus corpus;

  public ModelContext(Registry registry, ParameterStore params, ModelIO io, RunState state, Rng rng,
      TokenCorpus corpus) {
    this(registry, params, null, io, PositionalEncoding.NONE, state, rng, corpus);
  }

  private ModelContext(Registry registry, ParameterStore params, Dims dims, ModelIO io,
      PositionalEncoding positional, RunState state, Rng rng, TokenCorpus corpus) {
    this.registry = registry;
    this.params = params;
    this.dims = dims;
    this.io = io;
    this.positional = positional;
    this.state = state;
    this.rng = rng;
    this.corpus = corpus;
  }

  @Override
  public <T> T create(Family<T> family, ComponentSpec spec) {
    String where = params.prefix().isEmpty() ? "model" : params.prefix();
    return registry.create(family, spec, this, where);
  }

  @Override
  public Parameters params() {
    return params;
  }

  /** The store itself, for the framework (optimizers, checkpoints). */
  public ParameterStore store() {
    return params;
  }

  @Override
  public String path() {
    return params.prefix();
  }

  @Override
  public ModelContext scope(String name) {
    return new ModelContext(registry, params.scoped(name), dims, io, positional, state, rng, corpus);
  }

  @Override
  public Dims dims() {
    if (dims == null) {
      throw new ConfigException("no model dimensions at '" + params.prefix() + "': the architecture must call "
          + "withDims(...) before building attention, normalization or feed-forward components");
    }
    return dims;
  }

  @Override
  public ModelContext withDims(Dims dims) {
    return new ModelContext(registry, params, dims, io, positional, state, rng, corpus);
  }

  @Override
  public ModelIO io() {
    return io;
  }

  @Override
  public ModelContext withIo(ModelIO io) {
    return new ModelContext(registry, params, dims, io, positional, state, rng, corpus);
  }

  @Override
  public PositionalEncoding positional() {
    return positional;
  }

  @Override
  public ModelContext withPositional(PositionalEncoding positional) {
    return new ModelContext(registry, params, dims, io, positional, state, rng, corpus);
  }

  @Override
  public RunState state() {
    return state;
  }

  @Override
  public Rng rng() {
    return rng;
  }

  @Override
  public TokenCorpus corpus() {
    return corpus;
  }
}
