package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.cli.template.FamilyTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The positional, normalization and feedforward templates build with Maven against the installed
 * Ablate and pass their tests, whose contract test runs the installed kit's family contract (the
 * attention template is {@link NewUserWalkthroughTest}'s); and a generated plugin that breaks its
 * family's contract fails its build in the contract test. One Maven run, failing at the end, over an
 * aggregator of the four projects. Skipped without installed artifacts.
 */
class TemplateBuildTest {
  private static final List<FamilyTemplate> FAMILIES =
      List.of(FamilyTemplate.POSITIONAL, FamilyTemplate.NORMALIZATION, FamilyTemplate.FEEDFORWARD);
  /** The positional template with one change: it declares the INPUT hook, which it neither claims nor uses. */
  private static final String BROKEN = "broken-positional";

  @Test
  void everyOtherTemplateBuildsAndPassesItsContractAndABrokenOneFails(@TempDir Path work) throws Exception {
    InstalledAblate.require();
    Path projects = Files.createDirectories(work.resolve("projects"));
    List<String> modules = new ArrayList<>();
    for (FamilyTemplate family : FAMILIES) {
      modules.add(generate(projects, family.family(), "my-" + family.family()));
    }
    modules.add(generate(projects, "positional", BROKEN));
    Path component = projects.resolve(BROKEN + "/src/main/java/com/example/brokenpositional/BrokenPositional.java");
    String source = Files.readString(component);
    assertTrue(source.contains("return Set.of(Hook.SCORES);"), "the positional template declares its hook so");
    Files.writeString(component, source.replace("return Set.of(Hook.SCORES);", "return Set.of(Hook.SCORES, Hook.INPUT);"));
    Files.writeString(projects.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>all-templates</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <modules>%s</modules>
        </project>
        """.formatted(modules.stream().map(m -> "<module>" + m + "</module>").collect(Collectors.joining())));

    InstalledAblate.Shell shell = InstalledAblate.bash("mvn -q --fail-at-end package", projects,
        InstalledAblate.shims(work.resolve("shims")), 400);
    System.out.printf("four projects built and tested in %.1f s%n", shell.millis() / 1000.0);
    assertNotEquals(0, shell.code(), "mvn package passed although " + BROKEN + " breaks its contract:\n"
        + shell.output());
    for (FamilyTemplate family : FAMILIES) {
      String name = "my-" + family.family();
      Path project = projects.resolve(name);
      assertTrue(Files.isRegularFile(project.resolve("target/" + name + "-0.1.0-SNAPSHOT.jar")),
          name + " jar:\n" + shell.output());
      Path reports = project.resolve("target/surefire-reports");
      InstalledAblate.assertTestsPassed(reports, name);
      InstalledAblate.assertRanContract(reports, "com.example." + name.replace("-", "") + "."
          + NewPluginCommand.className(name, family) + "ContractTest", family.contractSimpleName());
    }

    Path broken = projects.resolve(BROKEN);
    assertFalse(Files.exists(broken.resolve("target/" + BROKEN + "-0.1.0-SNAPSHOT.jar")), "no jar for " + BROKEN);
    Path reports = broken.resolve("target/surefire-reports");
    String contract = Files.readString(reports.resolve("TEST-com.example.brokenpositional.BrokenPositionalContractTest.xml"));
    assertTrue(contract.matches("(?s).*<testcase name=\"declaresExactlyTheClaimedHooks\"[^>]*>\\s*<failure.*"),
        "the kit's declaresExactlyTheClaimedHooks fails:\n" + contract);
    InstalledAblate.assertTestsPassed(reports, BROKEN + "'s own tests (not the contract)",
        "TEST-com.example.brokenpositional.BrokenPositionalTest.");
  }

  /** Runs {@code ablate new-plugin} for a project folder under {@code projects}; returns its name. */
  private static String generate(Path projects, String family, String name) throws Exception {
    CliRunner.Result r = CliRunner.run("new-plugin", "--family", family, "--name", name, "--dir",
        projects.resolve(name).toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Tests: the contract test extends "), r.out());
    return name;
  }
}
