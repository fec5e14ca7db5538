package io.ablate.experiment.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
  @TempDir
  Path dir;

  private Path write(String name, String yaml) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  private static final String BASE = """
      study: pos
      base:
        task: {type: copy, max_length: 8}
        tokenizer: char
        model:
          architecture: decoder
          d_model: 32
          positional: {type: t5-bias, num_buckets: 8}
          norm: layernorm
        train: {steps: 10}
      """;

  @Test
  void gridZipExcludeAndOverridesExpandInOrder() throws IOException {
    Path f = write("s.yaml", BASE + """
        ablate:
          grid:
            model.positional.type: [t5-bias, rotary]
            model.norm.type: [layernorm, rmsnorm]
          zip:
            - {model.heads: [2, 4], model.d_model: [32, 64]}
          exclude:
            - {model.positional.type: rotary, model.norm.type: rmsnorm}
          overrides:
            - when: {model.norm.type: rmsnorm}
              set: {train.steps: 20}
        baseline: {model.positional.type: t5-bias, model.norm.type: layernorm, model.heads: 2}
        seeds: [1, 2]
        """);
    StudySpec spec = SpecLoader.load(f, List.of());
    List<Variant> variants = Variants.expand(spec);
    assertEquals(List.of(
        "positional=t5-bias,norm=layernorm,heads=2,d_model=32", "positional=t5-bias,norm=layernorm,heads=4,d_model=64",
        "positional=t5-bias,norm=rmsnorm,heads=2,d_model=32", "positional=t5-bias,norm=rmsnorm,heads=4,d_model=64",
        "positional=rotary,norm=layernorm,heads=2,d_model=32", "positional=rotary,norm=layernorm,heads=4,d_model=64"),
        variants.stream().map(Variant::name).toList());
    Variant rmsnorm = variants.get(2);
    assertEquals(20, ConfigPaths.get(rmsnorm.config(), "train.steps"));
    assertEquals(Map.of("type", "rmsnorm"), ConfigPaths.get(rmsnorm.config(), "model.norm"));
    // t5-bias keeps its options; switching type to rotary drops them (they belonged to t5-bias)
    assertEquals(8, ConfigPaths.get(rmsnorm.config(), "model.positional.num_buckets"));
    assertEquals(Map.of("type", "rotary"), ConfigPaths.get(variants.get(4).config(), "model.positional"));
    assertEquals(variants.get(0), Variants.baseline(spec, variants));
    assertEquals(List.of(1L, 2L), spec.seeds());
  }

  @Test
  void unknownKeyIsLocatedWithSuggestion() throws IOException {
    Path f = write("s.yaml", BASE.replace("  train: {steps: 10}", "  trian: {steps: 10}"));
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(f, List.of()));
    assertEquals(f + ":10:3: base.trian: unknown key 'trian' — did you mean 'train'? known: model, task, tokenizer, "
        + "train", e.getMessage());
  }

  @Test
  void badFactorPathAndMismatchedZipAreLocated() throws IOException {
    Path f = write("s.yaml", BASE + "ablate:\n  grid:\n    modle.heads: [1, 2]\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(f, List.of()));
    assertTrue(e.getMessage().startsWith(f + ":13:5: ablate.grid.modle.heads: a factor is a path into base"),
        e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'model.heads'?"), e.getMessage());
    Path g = write("z.yaml", BASE + "ablate:\n  zip:\n    - {model.heads: [1, 2], model.d_model: [8]}\n");
    e = assertThrows(SpecException.class, () -> SpecLoader.load(g, List.of()));
    assertTrue(e.getMessage().contains("same number of levels"), e.getMessage());
  }

  @Test
  void extendsMergesAndSetOverrides() throws IOException {
    write("parent.yaml", BASE);
    Path child = write("child.yaml", """
        extends: parent.yaml
        study: child
        base:
          model: {d_model: 48}
        """);
    StudySpec spec = SpecLoader.load(child, List.of("base.train.steps=5", "base.model.positional=alibi"));
    assertEquals("child", spec.study());
    assertEquals(48, ConfigPaths.get(spec.base(), "model.d_model"));
    assertEquals("decoder", ConfigPaths.get(spec.base(), "model.architecture"));
    assertEquals(5, ConfigPaths.get(spec.base(), "train.steps"));
    assertEquals("alibi", ConfigPaths.get(spec.base(), "model.positional"));
    assertEquals("--set base.model.positional=alibi", spec.locate("base.model.positional").toString());
    assertTrue(spec.locate("base.model.norm").toString().endsWith("parent.yaml:9:5"),
        spec.locate("base.model.norm").toString());
    assertTrue(spec.locate("base.model.d_model").toString().endsWith("child.yaml:4:11"),
        spec.locate("base.model.d_model").toString());
  }

  @Test
  void invalidYamlAndBaselineMismatchAreClear() throws IOException {
    Path f = write("bad.yaml", "study: x\nbase: {task: [\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(f, List.of()));
    assertTrue(e.getMessage().startsWith(f + ":3:1: not valid YAML"), e.getMessage());
    Path g = write("b.yaml", BASE + "ablate: {grid: {model.heads: [2, 4]}}\nbaseline: {model.heads: 8}\n");
    StudySpec spec = SpecLoader.load(g, List.of());
    e = assertThrows(SpecException.class, () -> Variants.baseline(spec, Variants.expand(spec)));
    assertTrue(e.getMessage().contains("baseline: matches no variant; variants: [heads=2, heads=4]"), e.getMessage());
  }
}
