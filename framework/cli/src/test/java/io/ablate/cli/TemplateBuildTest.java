package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The positional, normalization and feedforward templates build and pass their tests with Maven
 * against the installed Ablate, as generated (the attention template is {@link NewUserWalkthroughTest}'s).
 * One Maven run over an aggregator of the three projects. Skipped without installed artifacts.
 */
class TemplateBuildTest {
  private static final List<String> FAMILIES = List.of("positional", "normalization", "feedforward");

  @Test
  void everyOtherTemplateBuildsAndPassesItsTests(@TempDir Path work) throws Exception {
    InstalledAblate.require();
    Path projects = Files.createDirectories(work.resolve("projects"));
    for (String family : FAMILIES) {
      CliRunner.Result r = CliRunner.run("new-plugin", "--family", family, "--name", "my-" + family, "--dir",
          projects.resolve("my-" + family).toString());
      assertEquals(0, r.code(), r.err());
      System.out.println(r.out().lines().filter(l -> l.startsWith("Tests:")).findFirst().orElse(""));
    }
    Files.writeString(projects.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>all-templates</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <modules>%s</modules>
        </project>
        """.formatted(FAMILIES.stream().map(f -> "<module>my-" + f + "</module>").collect(Collectors.joining())));

    InstalledAblate.Shell shell = InstalledAblate.bash("mvn -q package", projects,
        InstalledAblate.shims(work.resolve("shims")), 300);
    System.out.printf("three templates built and tested in %.1f s%n", shell.millis() / 1000.0);
    assertEquals(0, shell.code(), "mvn package:\n" + shell.output());
    for (String family : FAMILIES) {
      Path project = projects.resolve("my-" + family);
      assertTrue(Files.isRegularFile(project.resolve("target/my-" + family + "-0.1.0-SNAPSHOT.jar")), family + " jar");
      InstalledAblate.assertTestsPassed(project.resolve("target/surefire-reports"), family);
    }
  }
}
