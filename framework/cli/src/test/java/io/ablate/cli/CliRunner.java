package io.ablate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code ablate} command line in-process, as {@code Ablate.main} does, and keeps its output. */
final class CliRunner {
  private CliRunner() {}

  record Result(int code, String out, String err) {
    /** The error output as the user sees it, without the terminal colour codes picocli may add. */
    String errText() {
      return err.replaceAll("\u001B\\[[;\\d]*m", "").strip();
    }
  }

  static Result run(String... args) {
    CommandLine cli = Ablate.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
