package io.ablate.cli;

import io.ablate.cli.export.HfTokenizer;
import io.ablate.cli.export.ModelConfigJson;
import io.ablate.cli.export.Safetensors;
import io.ablate.core.Wiring;
import io.ablate.core.model.Checkpoint;
import io.ablate.core.model.ModelContext;
import io.ablate.core.model.ParameterStore;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.RunResult;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.spec.Sections;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ablate export RUN --format safetensors|hf-tokenizer}: a run's checkpoint as safetensors
 * (every parameter and buffer by name) with a config.json beside it (the resolved architecture, see
 * {@link ModelConfigJson}), or its trained tokenizer as a Hugging Face tokenizer.json.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a run's checkpoint as safetensors, or its tokenizer as a Hugging Face tokenizer.json.")
public final class ExportCommand implements Callable<Integer> {
  /** What to export. */
  enum Format { safetensors, hf_tokenizer }

  @Parameters(index = "0", paramLabel = "RUN", description = "A run folder (results/<study>/runs/<run>).")
  Path run;

  @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
      description = "safetensors (model.safetensors, and config.json beside it) or hf-tokenizer (tokenizer.json).")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where to write (default: model.safetensors or tokenizer.json in the run folder; config.json "
          + "goes into the same folder as the safetensors file).")
  Path output;

  @Mixin
  PluginPathOption pluginPath;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RunRecord record = RunResult.load(run).map(RunResult::record).orElseThrow(() -> new IllegalArgumentException(
        "no run in " + run + " (expected a run folder with run.json, e.g. results/<study>/runs/<run>)"));
    Path written = switch (format) {
      case safetensors -> safetensors(record);
      case hf_tokenizer -> tokenizer(record);
    };
    spec.commandLine().getOut().printf("Wrote %s%n", written);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private Path safetensors(RunRecord record) throws Exception {
    Path checkpoint = run.resolve("model.ckpt");
    if (!Files.isRegularFile(checkpoint)) {
      throw new IllegalArgumentException("no checkpoint " + checkpoint + " (the run has not finished)");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "ablate");
    metadata.put("ablate.study", String.valueOf(record.study()));
    metadata.put("ablate.run", record.run());
    metadata.put("ablate.config_hash", record.hash());
    Path target = output != null ? output : run.resolve("model.safetensors");
    Map<String, INDArray> arrays = Checkpoint.read(checkpoint);
    Registry registry = Wiring.registry(pluginPath.directories());
    Map<String, Object> model = ModelConfigJson.resolve(registry, Sections.architecture(record.config()));
    INDArray tokens = arrays.get("embedding.token");
    Path config = target.toAbsolutePath().resolveSibling("config.json");
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("ablate_study", String.valueOf(record.study()));
    identity.put("ablate_run", record.run());
    identity.put("ablate_config_hash", record.hash());
    ModelConfigJson.write(model, tokens == null ? null : tokens.size(0), identity, config);
    Safetensors.write(arrays, metadata, target);
    spec.commandLine().getOut().printf("Wrote %s%n", config);
    return target;
  }

  private Path tokenizer(RunRecord record) throws Exception {
    Path saved = run.resolve("tokenizer.txt");
    if (!Files.isRegularFile(saved)) {
      throw new IllegalArgumentException("no tokenizer " + saved);
    }
    Registry registry = Wiring.registry(pluginPath.directories());
    ComponentSpec tokenizerSpec = Sections.tokenizer(record.config());
    try (io.ablate.tensor.Rng rng = new io.ablate.tensor.Rng(record.seed())) {
      ModelContext setup = new ModelContext(registry, new ParameterStore(org.nd4j.linalg.api.buffer.DataType.FLOAT,
          rng), null, new io.ablate.spi.model.RunState(), rng, io.ablate.spi.text.TokenCorpus.EMPTY);
      Tokenizer tokenizer = registry.create(Family.TOKENIZER, tokenizerSpec, setup, "base.tokenizer");
      if (!(tokenizer instanceof TextTokenizer text)) {
        throw new IllegalArgumentException("the run's tokenizer '" + tokenizerSpec.type() + "' is not a text tokenizer");
      }
      try (InputStream in = Files.newInputStream(saved)) {
        text.load(in);
      }
      Path target = output != null ? output : run.resolve("tokenizer.json");
      HfTokenizer.write(tokenizerSpec.type(), text, target);
      return target;
    }
  }

  /** Accepts {@code hf-tokenizer} (the option's spelling) for the enum constant {@code hf_tokenizer}. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("expected safetensors or hf-tokenizer, got '"
            + value + "'");
      }
    }
  }
}
