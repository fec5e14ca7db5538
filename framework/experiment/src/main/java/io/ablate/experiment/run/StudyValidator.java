package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.model.ModelContext;
import io.ablate.core.model.ParameterStore;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.ConfigPaths;
import io.ablate.experiment.spec.Location;
import io.ablate.experiment.spec.Sections;
import io.ablate.experiment.spec.SpecException;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.spec.Variant;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.RunState;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks every variant before anything trains: the train settings bind, the task and tokenizer
 * exist with valid options, and the model builds (every component name, every option, every
 * combination a component refuses). Each problem is reported once, located in the spec file.
 */
public final class StudyValidator {
  private static final Pattern UNKNOWN_NAME = Pattern.compile("unknown \\w+ '([^']+)'");
  private static final Pattern UNKNOWN_KEY = Pattern.compile("unknown key '([^']+)'");
  /** {@code base.train: key 'steps' must be int, got 'abc'}: the value at base.train.steps. */
  private static final Pattern BAD_VALUE = Pattern.compile("^(?:base\\.)?([\\w.-]+): (?:key ')?([\\w-]+)'? must be");

  private StudyValidator() {}

  public static void validate(StudySpec spec, List<Variant> variants, Registry registry) {
    Map<String, List<String>> found = new LinkedHashMap<>();     // located message → variants with it
    long available = MemoryEstimate.available();
    // The base as written, too: a typo in a value that every variant overrides is still a typo.
    Variant base = new Variant("base", Map.of(), spec.base());
    // (Not when it is too big to build: checking builds the model; the variants' size errors say why.)
    if (variants.stream().noneMatch(v -> v.config().equals(spec.base()))
        && MemoryEstimate.of(spec.base()).refusal(available).isEmpty()) {
      try {
        check(base, registry);
      } catch (ConfigException e) {
        found.computeIfAbsent(locate(spec, base, e.getMessage()), k -> new ArrayList<>()).add(base.name());
      }
    }
    for (Variant v : variants) {
      java.util.Optional<String> tooBig = MemoryEstimate.of(v.config()).refusal(available);
      if (tooBig.isPresent()) {
        String factor = factorFor(v, "model.d_model");
        Location at = factor != null ? factorLocation(spec, factor) : spec.locate("base.model.d_model");
        found.computeIfAbsent(new SpecException(at, null, tooBig.get()).getMessage(), k -> new ArrayList<>())
            .add(v.name());
        continue;
      }
      try {
        check(v, registry);
      } catch (ConfigException e) {
        found.computeIfAbsent(locate(spec, v, e.getMessage()), k -> new ArrayList<>()).add(v.name());
      }
    }
    Set<String> problems = new LinkedHashSet<>();
    found.forEach((message, in) -> problems.add(message + (in.size() >= variants.size() ? ""
        : " [variant" + (in.size() > 1 ? "s " : " ") + String.join(", ", in) + "]")));
    if (!problems.isEmpty()) {
      List<String> list = new ArrayList<>(problems);
      throw new ConfigException(list.size() == 1 ? list.get(0)
          : list.size() + " problems in " + spec.file() + ":\n  " + String.join("\n  ", list));
    }
  }

  private static void check(Variant v, Registry registry) {
    Sections.train(v.config());
    try (Rng rng = new Rng(1)) {
      ModelContext setup = new ModelContext(registry, new ParameterStore(DataType.FLOAT, rng), null, new RunState(),
          rng, TokenCorpus.EMPTY);
      Task task = registry.create(Family.TASK, Sections.task(v.config()), setup, "base.task");
      io.ablate.experiment.report.MetricDirections.declare(task.metrics());
      registry.create(Family.TOKENIZER, Sections.tokenizer(v.config()), setup, "base.tokenizer");
      ModelIO probe = new ModelIO(task.objective(), 64, 4, 64, 16);
      try (BuiltModel ignored = new ModelBuilder(registry).build(Sections.architecture(v.config()), probe, 1,
          TokenCorpus.EMPTY, DataType.FLOAT)) {
        // built: every name and option is valid
      }
    }
  }

  /** Prefixes the message with the file:line:col of the value or key it is about. */
  static String locate(StudySpec spec, Variant v, String message) {
    Map<String, Object> flat = ConfigPaths.flatten(v.config());
    String path = null;
    Matcher name = UNKNOWN_NAME.matcher(message);
    Matcher key = UNKNOWN_KEY.matcher(message);
    Matcher value = BAD_VALUE.matcher(message);
    if (value.find()) {
      path = value.group(1) + "." + value.group(2);
    } else if (key.find()) {
      String wrong = key.group(1);
      path = flat.keySet().stream().filter(p -> p.equals(wrong) || p.endsWith("." + wrong)
          || p.contains("." + wrong + ".")).findFirst().orElse(null);
    } else if (name.find()) {
      String wrong = name.group(1);
      path = flat.entrySet().stream().filter(e -> wrong.equals(String.valueOf(e.getValue()))).map(Map.Entry::getKey)
          .findFirst().orElse(null);
    }
    Location at = spec.locate("base");
    if (path != null) {
      String factor = factorFor(v, path);
      at = factor != null ? factorLocation(spec, factor) : spec.locate("base." + path);
    }
    return new SpecException(at, null, message).getMessage();
  }

  private static String factorFor(Variant v, String path) {
    for (String factor : v.factors().keySet()) {
      if (path.equals(factor) || path.startsWith(factor + ".") || (factor.endsWith(".type")
          && path.equals(factor.substring(0, factor.length() - ".type".length())))) {
        return factor;
      }
    }
    return null;
  }

  private static Location factorLocation(StudySpec spec, String factor) {
    if (spec.tune().containsKey(factor)) {
      return spec.locate("tune." + factor.substring("train.".length()));
    }
    Location grid = spec.locations().get("ablate.grid." + factor);
    if (grid != null) {
      return grid;
    }
    for (int i = 0; i < spec.design().zip().size(); i++) {
      Location zip = spec.locations().get("ablate.zip." + i + "." + factor);
      if (zip != null) {
        return zip;
      }
    }
    return spec.locate("ablate");
  }
}
