package io.ablate.cli;

import io.ablate.cli.template.FamilyTemplate;
import io.ablate.cli.template.LocalRepository;
import io.ablate.cli.template.PluginProject;
import io.ablate.core.Wiring;
import io.ablate.core.config.Suggestions;
import io.ablate.spi.Family;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ablate new-plugin --family attention --name my-attn}: a ready-to-build Maven project for a
 * third-party component — the component and its config record, the plugin class and its service
 * registration, its conformance test, a README and a study ablating it against the built-ins.
 */
@Command(name = "new-plugin", mixinStandardHelpOptions = true,
    description = "Create a plugin project: one working component of a family, its contract test, a README and a "
        + "study that ablates it against the built-ins. `mvn package` in it builds the plugin jar.")
public final class NewPluginCommand implements Callable<Integer> {
  private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
      "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "false",
      "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface",
      "long", "native", "new", "null", "package", "private", "protected", "public", "return", "short", "static",
      "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "true", "try", "void",
      "volatile", "while", "var", "record", "yield", "sealed", "permits");

  /** Simple names the templates import: a component class may not take one of them. */
  private static final Set<String> TAKEN = Set.of("Attention", "AttentionMask", "PositionalEncoding", "Normalization",
      "FeedForward", "Linear", "Tensor", "Factories", "Family", "Doc", "Default", "BuildContext", "ComponentFactory",
      "Masks", "RunState", "Softmax", "Hook", "Plugin", "Spi", "Config", "List", "Map", "Set", "EnumSet", "INDArray",
      "Nd4j", "DataType", "Transforms", "Rng", "Dims", "ModelIO", "ModelContext", "GradCheck", "ArrayChecks",
      "TestModels", "Test", "ComponentSpec", "NDArrayIndex", "ArrayList", "ParameterGradientCheck", "String",
      "Object", "Math", "Record", "Capability", "AttentionContract", "PositionalContract", "NormalizationContract",
      "FeedForwardContract");

  @Option(names = "--family", required = true, paramLabel = "FAMILY",
      description = "attention, positional, normalization or feedforward.")
  String family;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "The component's name in studies, lower-kebab-case (e.g. my-attn); also the artifactId.")
  String name;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the project (default: ./NAME); "
      + "must not exist or be empty.")
  Path dir;

  @Option(names = "--package", paramLabel = "PACKAGE",
      description = "Java package (default: com.example.NAME without dashes).")
  String packageName;

  @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = "com.example",
      description = "Maven groupId (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--maven-repo-local", paramLabel = "DIR", hidden = true,
      description = "The local Maven repository holding Ablate's artifacts (default: as Maven finds it).")
  Path mavenRepoLocal;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    FamilyTemplate template = template(family);
    checkName(name);
    String pkg = packageName == null ? defaultPackage(name) : checkPackage(packageName, "--package");
    checkPackage(groupId, "--group-id");
    checkNotBuiltIn(template, name);
    Path target = dir == null ? Path.of(name) : dir;
    checkTarget(target);

    String version = AblateVersion.current();
    PluginProject project = PluginProject.render(template,
        new PluginProject.Names(name, className(name, template), pkg, groupId, version));
    project.write(target);

    PrintWriter out = spec.commandLine().getOut();
    out.printf("Created %s plugin '%s' in %s (package %s, Ablate %s):%n", template.family(), name, target, pkg, version);
    project.files().keySet().forEach(f -> out.println("  " + f));
    out.println("Tests: " + project.contractTest() + ".");
    LocalRepository repository = mavenRepoLocal == null ? LocalRepository.find() : new LocalRepository(mavenRepoLocal);
    List<String> missing = new ArrayList<>();
    for (String artifact : List.of("ablate-bom:pom", "ablate-testkit:jar")) {
      String[] id = artifact.split(":");
      if (!Files.isRegularFile(repository.ablate(id[0], version, id[1]))) {
        missing.add("io.ablate:" + id[0] + ":" + version);
      }
    }
    if (!missing.isEmpty()) {
      out.printf("Note: %s not in %s yet: run `mvn install -DskipTests` in the Ablate checkout before building "
          + "the plugin.%n", String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are"), repository.root());
    }
    Path jar = target.resolve("target").resolve(name + "-0.1.0-SNAPSHOT.jar");
    out.println("Next:");
    out.printf("  (cd %s && mvn package)%n", target);
    out.printf("  mkdir -p plugins && cp %s plugins/%n", jar);
    out.printf("  %s run %s --plugin-path plugins --results-dir results%n", launcher(),
        target.resolve("studies").resolve(name + "-vs-builtins.yaml"));
    out.flush();
    return 0;
  }

  /** The {@code ablate} launcher of this installation, as a user would type it. */
  private static String launcher() {
    String home = System.getProperty("ablate.home");
    return home == null ? "ablate" : Path.of(home, "ablate").toString();
  }

  static FamilyTemplate template(String family) {
    FamilyTemplate template = FamilyTemplate.of(family);
    if (template != null) {
      return template;
    }
    String supported = Arrays.stream(FamilyTemplate.values()).map(FamilyTemplate::family)
        .collect(Collectors.joining(", "));
    if (FamilyTemplate.UNSUPPORTED.contains(family.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("new-plugin has no template for the " + family.toLowerCase(Locale.ROOT)
          + " family yet; supported: " + supported + ". See PLUGINS.md to write one by hand.");
    }
    throw new IllegalArgumentException(Suggestions.unknown("family", family,
        Stream.concat(Arrays.stream(FamilyTemplate.values()).map(FamilyTemplate::family),
            FamilyTemplate.UNSUPPORTED.stream()).toList()));
  }

  static void checkName(String name) {
    if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("--name '" + name + "' is not lower-kebab-case: lower-case letters and "
          + "digits, words joined by single '-', starting with a letter (e.g. '"
          + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
              .replaceAll("^[-0-9]+|-+$", "") + "')");
    }
  }

  static String defaultPackage(String name) {
    return "com.example." + name.replace("-", "");
  }

  static String checkPackage(String pkg, String option) {
    for (String part : pkg.split("\\.", -1)) {
      if (!part.matches("[a-z_][a-z0-9_]*") || JAVA_KEYWORDS.contains(part)) {
        throw new IllegalArgumentException(option + " '" + pkg + "' is not a Java package name of lower-case "
            + "identifiers separated by '.', e.g. com.example.myattn" + (JAVA_KEYWORDS.contains(part)
                ? " ('" + part + "' is a Java keyword)" : ""));
      }
    }
    return pkg;
  }

  /** {@code my-attn} → {@code MyAttn}; a name the templates already use gets the family's suffix. */
  static String className(String name, FamilyTemplate template) {
    StringBuilder out = new StringBuilder();
    for (String word : name.split("-")) {
      out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    String simple = out.toString();
    if (TAKEN.contains(simple)) {
      simple = simple + switch (template) {
        case ATTENTION -> "Attention";
        case POSITIONAL -> "Encoding";
        case NORMALIZATION -> "Norm";
        case FEEDFORWARD -> "Layer";
      };
    }
    return simple;
  }

  private static void checkNotBuiltIn(FamilyTemplate template, String name) {
    Family<?> f = Family.byId(template.family());
    if (Wiring.builtins().names(f).contains(name)) {
      throw new IllegalArgumentException(template.family() + " '" + name + "' is a built-in component; a plugin "
          + "with the same name would be refused at start-up (names are unique per family). Choose another --name.");
    }
  }

  private static void checkTarget(Path target) throws java.io.IOException {
    if (Files.exists(target)) {
      if (!Files.isDirectory(target)) {
        throw new IllegalArgumentException(target + " exists and is a file; choose another --dir");
      }
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(target + " exists and is not empty; choose another --dir or remove it");
        }
      }
    }
  }
}
