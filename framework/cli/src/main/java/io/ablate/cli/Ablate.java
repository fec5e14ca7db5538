package io.ablate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ablate} command: subcommands for studies, plugins and the engine benchmark. */
@Command(
    name = "ablate",
    mixinStandardHelpOptions = true,
    version = "ablate 0.1.0-SNAPSHOT",
    versionProvider = VersionProvider.class,
    description = "Ablation studies of Transformer components.",
    subcommands = {RunCommand.class, RunCellCommand.class, PlanCommand.class, ReportCommand.class,
        CompareCommand.class, StatusCommand.class, FinishCommand.class, SyncCommand.class, ExportCommand.class,
        SchemaCommand.class, PluginsCommand.class, NewPluginCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Ablate implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Log levels are fixed when the first logger is made, which happens after parsing: set it here. */
  @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Show the tensor backend's start-up banner and INFO log lines.")
  void verbose(boolean on) {
    if (on) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
  }

  /** Accepted by every command; colour is also off when the output is not a terminal, or with NO_COLOR. */
  @CommandLine.Option(names = "--no-color", scope = CommandLine.ScopeType.INHERIT,
      description = "No ANSI colours (also off when output is not a terminal, or NO_COLOR is set).")
  void noColor(boolean on) {
    if (on) {
      Terminal.noColor();
    }
  }

  public static void main(String[] args) {
    try {
      io.ablate.tensor.BlasKernels.chooseForThisCpu();   // before ND4J loads BLAS, which reads the choice once
    } catch (IllegalArgumentException e) {
      System.err.println("ablate: " + e.getMessage());
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with Ablate's error handling: a user error prints one line, not a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Ablate());
    if (!Terminal.colour()) {
      cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    }
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof io.ablate.tensor.TensorException
          || e instanceof io.ablate.spi.ConfigException) {
        String message = "ablate " + cmd.getCommandName() + ": " + e.getMessage();
        cmd.getErr().println(Terminal.colour() ? cmd.getColorScheme().errorText(message).toString() : message);
        return 2;
      }
      throw e;
    });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
