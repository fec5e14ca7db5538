package io.ablate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ablate} command: subcommands for studies, plugins and the engine benchmark. */
@Command(
    name = "ablate",
    mixinStandardHelpOptions = true,
    version = "ablate 0.1.0-SNAPSHOT",
    description = "Ablation studies of Transformer components.",
    subcommands = {BenchCommand.class, CommandLine.HelpCommand.class})
public final class Ablate implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = new CommandLine(new Ablate()).execute(args);
    System.exit(code);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
