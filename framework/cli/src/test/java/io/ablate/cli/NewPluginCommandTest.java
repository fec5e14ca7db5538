package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ablate.cli.template.FamilyTemplate;
import io.ablate.cli.template.LocalRepository;
import io.ablate.cli.template.PluginProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ablate new-plugin}: what it writes, that the written sources compile against the SPI and
 * the conformance kit with the contract test extending the family's contract, and its one-line errors.
 * (Building the generated projects with Maven and running their tests against the installed kit is
 * {@link NewUserWalkthroughTest}'s and {@link TemplateBuildTest}'s job.)
 */
class NewPluginCommandTest {
  @TempDir
  Path tmp;

  /** Runs new-plugin against an empty local repository, where it finds neither the BOM nor the kit. */
  private CliRunner.Result newPlugin(String... args) throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("empty-repo"));
    List<String> all = new ArrayList<>(List.of("new-plugin", "--maven-repo-local", repo.toString()));
    all.addAll(List.of(args));
    return CliRunner.run(all.toArray(String[]::new));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }

  @Test
  void attentionProjectHasEveryFileFilledIn() throws IOException {
    Path dir = tmp.resolve("my-attn");
    CliRunner.Result r = newPlugin("--family", "attention", "--name", "my-attn", "--dir", dir.toString());
    assertEquals(0, r.code(), r.err());
    List<String> expected = List.of("pom.xml", "README.md", ".gitignore",
        "src/main/java/com/example/myattn/MyAttn.java", "src/main/java/com/example/myattn/MyAttnPlugin.java",
        "src/main/resources/META-INF/services/io.ablate.spi.Plugin",
        "src/test/java/com/example/myattn/MyAttnContractTest.java", "src/test/java/com/example/myattn/MyAttnTest.java",
        "studies/my-attn-vs-builtins.yaml");
    for (String f : expected) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f + " written; output:\n" + r.out());
      assertFalse(read(dir.resolve(f)).contains("{{"), f + " has an unfilled placeholder");
      assertTrue(r.out().contains(f), "output lists " + f);
    }
    String pom = read(dir.resolve("pom.xml"));
    assertTrue(pom.contains("<ablate.version>" + AblateVersion.current() + "</ablate.version>"), "version of the running Ablate");
    assertTrue(pom.contains("<artifactId>ablate-bom</artifactId>") && pom.contains("<scope>import</scope>"), "imports the BOM");
    assertTrue(pom.contains("<artifactId>my-attn</artifactId>") && pom.contains("<groupId>com.example</groupId>"));
    assertTrue(pom.contains("<OMP_WAIT_POLICY>PASSIVE</OMP_WAIT_POLICY>") && pom.contains("-Xmx2g"), "surefire as Ablate's");
    assertEquals("com.example.myattn.MyAttnPlugin", read(dir.resolve(expected.get(5))).strip());
    assertTrue(read(dir.resolve(expected.get(3))).contains("Factories.of(Family.ATTENTION, \"my-attn\""));
    String study = read(dir.resolve("studies/my-attn-vs-builtins.yaml"));
    assertTrue(study.contains("model.attention.type: [mha, my-attn]"), study);
    assertTrue(read(dir.resolve(expected.get(6))).contains("extends AttentionContract<MyAttn.Config>"),
        "the test extends the kit's contract even with nothing installed yet");
    String version = AblateVersion.current();
    assertTrue(r.out().contains("Note: io.ablate:ablate-bom:" + version + " and io.ablate:ablate-testkit:" + version
        + " are not in"), "warns that the BOM and the kit are not installed:\n" + r.out());
  }

  @Test
  void defaultsArePackageFromTheNameAndDirectoryNamedAfterIt() throws IOException {
    PluginProject project = PluginProject.render(FamilyTemplate.FEEDFORWARD,
        new PluginProject.Names("relu-sq", NewPluginCommand.className("relu-sq", FamilyTemplate.FEEDFORWARD),
            NewPluginCommand.defaultPackage("relu-sq"), "com.example", "9.9"));
    assertTrue(project.files().containsKey("src/main/java/com/example/relusq/ReluSq.java"), project.files().keySet().toString());
    assertEquals("LinearAttention", NewPluginCommand.className("linear", FamilyTemplate.ATTENTION),
        "a name the templates import gets the family's suffix");
    assertEquals("PluginLayer", NewPluginCommand.className("plugin", FamilyTemplate.FEEDFORWARD));
    assertEquals("PositionalContractEncoding", NewPluginCommand.className("positional-contract", FamilyTemplate.POSITIONAL),
        "nor the kit's contract the test imports");
  }

  /** Main and test sources of every family compile against the SPI, the tensor API and the conformance kit. */
  @ParameterizedTest
  @EnumSource(FamilyTemplate.class)
  void generatedSourcesCompile(FamilyTemplate family) throws IOException {
    Path testkit = testkitClasses();
    Path dir = tmp.resolve(family.family());
    CliRunner.Result r = newPlugin("--family", family.family(), "--name", "my-" + family.family(), "--dir",
        dir.toString(), "--package", "org.acme.plugin");
    assertEquals(0, r.code(), r.err());
    String test = read(dir.resolve("src/test/java/org/acme/plugin/" + NewPluginCommand.className("my-"
        + family.family(), family) + "ContractTest.java"));
    assertTrue(test.contains("import " + family.contractClass() + ";") && test.contains(" extends "
        + family.contractSimpleName() + "<"), "the contract test extends " + family.contractSimpleName() + ":\n" + test);
    assertTrue(r.out().contains("Tests: the contract test extends " + family.contractSimpleName() + " of ablate-testkit "
        + AblateVersion.current() + "."), r.out());
    String warnings = JavaSources.compile(List.of(dir.resolve("src/main/java"), dir.resolve("src/test/java")),
        tmp.resolve("classes-" + family.family()), List.of(testkit));
    assertFalse(warnings.contains("warning"), "compiler warnings:\n" + warnings);
  }

  @Test
  void badNameIsOneLineWithASuggestion() throws IOException {
    CliRunner.Result r = newPlugin("--family", "attention", "--name", "MyAttn", "--dir", tmp.resolve("x").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.errText().lines().count(), r.err());
    assertTrue(r.errText().contains("--name 'MyAttn' is not lower-kebab-case") && r.errText().contains("'my-attn'"),
        r.err());
    assertFalse(Files.exists(tmp.resolve("x")), "nothing written");
  }

  @Test
  void unknownFamilyGetsDidYouMeanAndUnsupportedFamilySaysSo() throws IOException {
    CliRunner.Result typo = newPlugin("--family", "atention", "--name", "my-attn");
    assertEquals(2, typo.code());
    assertTrue(typo.errText().contains("unknown family 'atention' — did you mean 'attention'?"), typo.err());
    assertEquals(1, typo.errText().lines().count(), typo.err());

    CliRunner.Result tokenizer = newPlugin("--family", "tokenizer", "--name", "my-tok");
    assertEquals(2, tokenizer.code());
    assertTrue(tokenizer.errText().contains("no template for the tokenizer family yet; supported: attention, "
        + "positional, normalization, feedforward"), tokenizer.err());
  }

  @Test
  void existingNonEmptyDirectoryIsRefusedAndAnEmptyOneIsUsed() throws IOException {
    Path full = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(full.resolve("notes.txt"), "mine");
    CliRunner.Result r = newPlugin("--family", "feedforward", "--name", "relu-sq", "--dir", full.toString());
    assertEquals(2, r.code());
    assertTrue(r.errText().contains(full + " exists and is not empty"), r.err());
    assertEquals(List.of("notes.txt"), list(full), "left untouched");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertEquals(0, newPlugin("--family", "feedforward", "--name", "relu-sq", "--dir", empty.toString()).code());
    assertTrue(Files.isRegularFile(empty.resolve("pom.xml")));
  }

  @Test
  void builtInNamesAndBadPackagesAreRefused() throws IOException {
    CliRunner.Result mha = newPlugin("--family", "attention", "--name", "mha", "--dir", tmp.resolve("m").toString());
    assertEquals(2, mha.code());
    assertTrue(mha.errText().contains("attention 'mha' is a built-in component"), mha.err());

    CliRunner.Result pkg = newPlugin("--family", "attention", "--name", "my-attn", "--package", "com.example.new");
    assertEquals(2, pkg.code());
    assertTrue(pkg.errText().contains("'new' is a Java keyword"), pkg.err());
  }

  @Test
  void localRepositoryLayout() {
    LocalRepository repo = new LocalRepository(Path.of("/r"));
    assertEquals(Path.of("/r/io/ablate/ablate-bom/1.0/ablate-bom-1.0.pom"), repo.ablate("ablate-bom", "1.0", "pom"));
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** The conformance kit's classes: built in this checkout, or installed. */
  static Path testkitClasses() {
    Path built = Path.of("../testkit/target/classes").toAbsolutePath().normalize();
    if (Files.isRegularFile(built.resolve("io/ablate/testkit/ComponentContract.class"))) {
      return built;
    }
    Path installed = LocalRepository.find().ablate("ablate-testkit", AblateVersion.current(), "jar");
    assumeTrue(Files.isRegularFile(installed), "skipped: no conformance kit classes in ../testkit/target/classes or "
        + installed + " to compile against");
    return installed;
  }
}
