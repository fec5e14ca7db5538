package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ablate --version} names the git commit; {@code ablate generate-completion} prints a bash/zsh script. */
class VersionAndCompletionTest {
  @Test
  void versionNamesTheCommit() {
    CliRunner.Result r = CliRunner.run("--version");
    assertEquals(0, r.code(), r.err());
    String first = r.out().lines().findFirst().orElseThrow();
    assertTrue(first.matches("ablate \\S+ \\(commit [0-9a-f]{40}( \\+modified)?\\)"), first);
    assertTrue(r.out().contains("Java 17") || r.out().contains("Java "), r.out());
  }

  @Test
  void completionScriptCoversTheSubcommands() {
    CliRunner.Result r = CliRunner.run("generate-completion");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("complete -F"), "a bash completion script");
    for (String command : new String[] {"run", "plan", "report", "compare", "export", "sync"}) {
      assertTrue(r.out().contains(command), command);
    }
    assertTrue(r.out().contains("--tracking-uri"), "options of the subcommands too");
  }
}
