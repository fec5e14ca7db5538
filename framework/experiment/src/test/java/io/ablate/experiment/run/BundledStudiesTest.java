package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every study in experiments/ loads and validates: names, options, combinations, and a documented expectation. */
class BundledStudiesTest {
  private static final Path EXPERIMENTS = Path.of("../../experiments");

  @TestFactory
  Stream<DynamicTest> everyBundledStudyValidates() throws IOException {
    Registry registry = Wiring.builtins();
    List<Path> specs;
    try (Stream<Path> files = Files.list(EXPERIMENTS)) {
      specs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(specs.isEmpty());
    return specs.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
      StudySpec s = SpecLoader.load(spec, List.of());
      StudyPlan plan = StudyPlan.of(s, Files.createTempDirectory("plan"));
      StudyValidator.validate(s, plan.variants(), registry);
      assertTrue(Files.readString(spec).contains("# Expected") || spec.endsWith("quickstart.yaml")
          || Files.readString(spec).contains("Expected"), spec + " documents its expected outcome");
      assertTrue(Files.readString(spec).startsWith("# yaml-language-server: $schema=ablate-study.schema.json\n"),
          spec + " names its schema for editors");
      yaml11NumbersAreNumbers(spec, new org.yaml.snakeyaml.Yaml().load(Files.readString(spec)));
    }));
  }

  /** A number such as 3e-3 is a string to YAML 1.1 readers (PyYAML, SnakeYAML); 3.0e-3 is a number to both. */
  private static void yaml11NumbersAreNumbers(Path spec, Object node) {
    if (node instanceof java.util.Map<?, ?> map) {
      map.values().forEach(v -> yaml11NumbersAreNumbers(spec, v));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> yaml11NumbersAreNumbers(spec, v));
    } else if (node instanceof String text) {
      assertFalse(text.matches("[-+]?[0-9]*\\.?[0-9]+[eE][-+]?[0-9]+"),
          spec + ": '" + text + "' is a string to a YAML 1.1 reader; write it with a dot, e.g. 3.0e-3");
    }
  }
}
