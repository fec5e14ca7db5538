package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What can be checked of docker/ without a Docker engine: the files parse, every image is pinned,
 * the MLflow server is the version the tests use, every COPY source exists or is what the Maven build
 * produces, and the commands the containers run are real {@code ablate} subcommands and options.
 */
class DockerFilesTest {
  private static final Path ROOT = repositoryRoot();
  private static final Path DOCKER = ROOT.resolve("docker");

  /** One Dockerfile instruction, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  static List<Instruction> parse(Path dockerfile) throws IOException {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String trimmed = line.strip();
      if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String all = current.toString().strip();
      int space = all.indexOf(' ');
      out.add(new Instruction(all.substring(0, space).toUpperCase(), all.substring(space + 1).strip()));
      current.setLength(0);
    }
    return out;
  }

  @Test
  void everyImageIsPinnedToAVersion() throws IOException {
    List<String> images = new ArrayList<>();
    for (String f : List.of("Dockerfile", "Dockerfile.cuda", "Dockerfile.mlflow")) {
      for (Instruction i : parse(DOCKER.resolve(f))) {
        if (i.keyword().equals("FROM")) {
          images.add(i.arguments().split("\\s+")[0]);
        }
      }
    }
    compose().get("services").forEach(s -> {
      if (s.has("image")) {
        images.add(s.get("image").asText());
      }
    });
    assertTrue(images.size() >= 6, images.toString());
    for (String image : images) {
      String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
      assertTrue(tag.matches(".*\\d+\\.\\d+.*") && !tag.contains("latest"), "not pinned to a version: " + image);
    }
  }

  @Test
  void theMlflowServerIsTheVersionTheTestsUse() throws IOException {
    Matcher wanted = Pattern.compile("(?m)^mlflow==(\\S+)").matcher(Files.readString(ROOT.resolve(
        "scripts/requirements-mlflow.txt")));
    assertTrue(wanted.find());
    assertTrue(Files.readString(DOCKER.resolve("Dockerfile.mlflow")).contains("mlflow==" + wanted.group(1) + " "),
        "docker/Dockerfile.mlflow must install mlflow==" + wanted.group(1));
  }

  @Test
  void copiedFilesExistOrAreWhatTheMavenBuildProduces() throws IOException {
    String cliPom = Files.readString(ROOT.resolve("framework/cli/pom.xml"));
    assertTrue(cliPom.contains("<finalName>ablate-cli</finalName>"), "the CLI jar is named ablate-cli.jar");
    assertTrue(cliPom.contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>"),
        "its dependencies are copied to target/lib");
    assertTrue(Files.readString(ROOT.resolve("ablate")).contains("framework/cli/target/ablate-cli.jar"),
        "the launcher runs the same jar");
    List<String> built = List.of("framework/cli/target/ablate-cli.jar", "framework/cli/target/lib/");
    for (String f : List.of("Dockerfile", "Dockerfile.cuda")) {
      List<Instruction> instructions = parse(DOCKER.resolve(f));
      List<String> destinations = new ArrayList<>();
      for (Instruction i : instructions) {
        if (!i.keyword().equals("COPY")) {
          continue;
        }
        String[] parts = i.arguments().split("\\s+");
        String source = parts[parts.length - 2];
        destinations.add(parts[parts.length - 1]);
        if (i.arguments().startsWith("--from=build")) {
          assertTrue(built.contains(source.replaceFirst("^/src/", "")), f + ": not a build output: " + source);
        } else if (!source.equals(".")) {
          assertTrue(Files.exists(ROOT.resolve(source)), f + ": no " + source + " in the repository");
        }
      }
      String entrypoint = arguments(instructions, "ENTRYPOINT");
      JsonNode exec = new ObjectMapper().readTree(entrypoint);
      String jar = exec.get(exec.size() - 1).asText();
      assertTrue(destinations.contains(jar), f + ": the entry point's jar is not copied in: " + jar);
      assertTrue(instructions.stream().anyMatch(i -> i.keyword().equals("RUN") && i.arguments().contains("mvn ")),
          f + " builds with Maven");
      List<String> command = new ArrayList<>();
      new ObjectMapper().readTree(arguments(instructions, "CMD")).forEach(n -> command.add(n.asText()));
      assertIsAblateCommand(command);
    }
    String cuda = String.join("\n", Files.readAllLines(DOCKER.resolve("Dockerfile.cuda")));
    assertTrue(cuda.contains("-Pcuda"), "the CUDA image is built with the cuda profile");
    Matcher nd4jCuda = Pattern.compile("nd4j-cuda-(\\d+\\.\\d+)-platform").matcher(Files.readString(ROOT.resolve(
        "pom.xml")));
    assertTrue(nd4jCuda.find());
    assertTrue(cuda.contains("nvidia/cuda:" + nd4jCuda.group(1) + "."), "CUDA base image matches nd4j-cuda-"
        + nd4jCuda.group(1));
  }

  @Test
  void composeStartsAnMlflowServerWithProxiedArtifactsAndRunsAStudyAgainstIt() throws IOException {
    JsonNode services = compose().get("services");
    List<String> server = new ArrayList<>();
    services.get("mlflow").get("command").forEach(n -> server.add(n.asText()));
    assertEquals(List.of("mlflow", "server"), server.subList(0, 2));
    assertTrue(server.contains("--serve-artifacts"), server.toString());
    assertTrue(server.stream().anyMatch(a -> a.startsWith("--artifacts-destination=")), server.toString());
    assertTrue(server.stream().anyMatch(a -> a.startsWith("--backend-store-uri=") && a.contains("sqlite:")));
    assertTrue(services.get("mlflow").has("healthcheck"));
    assertEquals("postgres", services.get("postgres").get("profiles").get(0).asText());

    JsonNode ablate = services.get("ablate");
    assertEquals("docker/Dockerfile", ablate.get("build").get("dockerfile").asText());
    assertEquals("service_healthy", ablate.get("depends_on").get("mlflow").get("condition").asText());
    List<String> command = new ArrayList<>();
    ablate.get("command").forEach(n -> command.add(n.asText().replace("${STUDY:-experiments/quickstart.yaml}",
        "experiments/quickstart.yaml")));
    assertIsAblateCommand(command);
    String uri = command.get(command.indexOf("--tracking-uri") + 1);
    assertEquals("http://mlflow:5000", uri);
    String allowed = server.stream().filter(a -> a.startsWith("--allowed-hosts=")).findFirst().orElse("");
    assertTrue(allowed.contains("mlflow:5000"), "MLflow 3 refuses Host headers it does not know: " + allowed);
  }

  /** A subcommand of {@code ablate} with only its own options, and a spec file that exists. */
  private static void assertIsAblateCommand(List<String> args) {
    CommandLine cli = Ablate.commandLine();
    CommandLine sub = cli.getSubcommands().get(args.get(0));
    assertTrue(sub != null, "not an ablate subcommand: " + args.get(0));
    for (String a : args.subList(1, args.size())) {
      if (a.startsWith("--")) {
        assertTrue(sub.getCommandSpec().findOption(a) != null, "ablate " + args.get(0) + " has no option " + a);
      }
    }
    String spec = args.get(1);
    assertTrue(Files.isRegularFile(ROOT.resolve(spec)), "no study spec " + spec);
    assertFalse(sub.getCommandSpec().findOption("--tracking-uri") == null);
  }

  private static String arguments(List<Instruction> instructions, String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).reduce((a, b) -> b)
        .map(Instruction::arguments).orElseThrow(() -> new AssertionError("no " + keyword));
  }

  private static JsonNode compose() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("compose.yaml").toFile());
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("docker/compose.yaml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("docker/compose.yaml not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
