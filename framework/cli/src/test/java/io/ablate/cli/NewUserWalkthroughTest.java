package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user, from an empty directory, following only PLUGINS.md: its walkthrough block runs as
 * written in bash — {@code $ABLATE/ablate new-plugin}, {@code mvn package}, copying
 * the jar into a plugin directory, {@code ablate plugins}, and a study ablating the new attention
 * against {@code mha} — the generated contract test runs the installed kit's {@code AttentionContract},
 * and the study's summary has both rows.
 *
 * <p>Needs this checkout's artifacts in the local Maven repository; skipped otherwise (see
 * {@link InstalledAblate}). CI runs it after {@code mvn install}, with skipping turned into failure.
 */
class NewUserWalkthroughTest {
  private static final Pattern WALKTHROUGH = Pattern.compile("<!-- walkthrough[^>]*-->\\s*```bash\\n(.*?)```",
      Pattern.DOTALL);

  @Test
  void fromAnEmptyDirectoryFollowingPluginsMd(@TempDir Path work) throws Exception {
    InstalledAblate.require();
    Matcher m = WALKTHROUGH.matcher(Files.readString(InstalledAblate.ROOT.resolve("PLUGINS.md")));
    assertTrue(m.find(), "PLUGINS.md has a bash block marked <!-- walkthrough -->");
    String script = m.group(1);
    Path user = Files.createDirectories(work.resolve("user"));

    InstalledAblate.Shell shell = InstalledAblate.bash(script, user, InstalledAblate.shims(work.resolve("shims")), 300);
    System.out.printf("PLUGINS.md walkthrough: %.1f s%n%s%n", shell.millis() / 1000.0, shell.output());
    assertEquals(0, shell.code(), "the walkthrough failed:\n" + shell.output());

    int tests = InstalledAblate.assertTestsPassed(user.resolve("my-attn/target/surefire-reports"), "my-attn's tests");
    assertTrue(tests >= 10, tests + " tests ran in the generated project");
    InstalledAblate.assertRanContract(user.resolve("my-attn/target/surefire-reports"),
        "com.example.myattn.MyAttnContractTest", "AttentionContract");
    assertTrue(shell.output().contains("from plugins/my-attn-0.1.0-SNAPSHOT.jar"),
        "`ablate plugins` lists my-attn from its jar:\n" + shell.output());
    List<String> summary = Files.readAllLines(user.resolve("results/my-attn-vs-builtins/summary.csv"));
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("attention=mha,exact_match,1,")), "mha's row: " + summary);
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("attention=my-attn,exact_match,1,")), "my-attn's row: " + summary);
    assertTrue(shell.output().lines().anyMatch(l -> l.startsWith("attention=my-attn ")),
        "the printed table has my-attn's row");
  }
}
