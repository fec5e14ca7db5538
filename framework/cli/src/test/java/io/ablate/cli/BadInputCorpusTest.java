package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every spec under {@code src/test/resources/bad-specs/} goes through {@code ablate plan} as a user would
 * run it and must give: exit code 2, one located message (the file name with line and column, or the
 * {@code --set} option that is at fault) containing the fragment its first line states
 * ({@code # expect: ...}), and no Java exception name or stack frame. A second comment line
 * {@code # args: ...} adds command-line arguments. Files under {@code included/} are only extended.
 */
class BadInputCorpusTest {
  private static final Pattern LOCATED = Pattern.compile("[\\w.-]+\\.yaml:\\d+:\\d+");

  @TempDir
  Path results;

  @Test
  void everyBadInputIsOneLocatedErrorWithExitCode2() throws Exception {
    Path corpus = Path.of(BadInputCorpusTest.class.getResource("/bad-specs").toURI());
    List<Path> cases;
    try (Stream<Path> files = Files.list(corpus)) {
      cases = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(cases.size() >= 40, "the corpus has only " + cases.size() + " cases");
    List<String> failures = new ArrayList<>();
    for (Path spec : cases) {
      String problem = check(spec);
      if (problem != null) {
        failures.add(spec.getFileName() + ": " + problem);
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " bad inputs were not reported "
        + "properly:\n" + String.join("\n", failures));
  }

  private String check(Path spec) throws IOException {
    List<String> header = Files.readAllLines(spec, java.nio.charset.StandardCharsets.ISO_8859_1).stream()
        .limit(2).toList();
    String expect = header.get(0).replaceFirst("^# expect: ?", "");
    List<String> args = new ArrayList<>(List.of("plan", spec.toString(), "--results-dir", results.toString()));
    boolean viaSet = header.size() > 1 && header.get(1).startsWith("# args: ");
    if (viaSet) {
      args.addAll(Arrays.asList(header.get(1).substring("# args: ".length()).split(" ")));
    }
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    String message = r.errText();
    System.out.println(spec.getFileName() + " → " + message);
    String all = r.out() + r.err();
    if (r.code() != 2) {
      return "exit code " + r.code() + " (expected 2): " + all;
    }
    if (all.contains("Exception") || all.contains("\tat ")) {
      return "a Java exception reached the user: " + all;
    }
    if (viaSet ? !message.contains("--set") : !LOCATED.matcher(message).find()) {
      return "not located (" + (viaSet ? "--set" : "file:line:col") + " missing): " + message;
    }
    if (!viaSet && !message.contains(spec.getFileName().toString()) && !message.contains("included")) {
      return "does not name the file: " + message;
    }
    if (!message.contains(expect)) {
      return "expected the message to contain '" + expect + "': " + message;
    }
    return null;
  }
}
