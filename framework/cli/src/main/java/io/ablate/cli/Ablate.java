package io.ablate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ablate} command: subcommands for studies, plugins and the engine benchmark. */
@Command(
    name = "ablate",
    mixinStandardHelpOptions = true,
    version = "ablate 0.1.0-SNAPSHOT",
    description = "Ablation studies of Transformer components.",
    subcommands = {RunCommand.class, RunCellCommand.class, PlanCommand.class, ReportCommand.class,
        CompareCommand.class, StatusCommand.class, FinishCommand.class,
        SyncCommand.class, SchemaCommand.class, PluginsCommand.class,
        NewPluginCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Ablate implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Ablate's error handling: a user error prints one line, not a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Ablate());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof io.ablate.tensor.TensorException
          || e instanceof io.ablate.spi.ConfigException) {
        cmd.getErr().println(cmd.getColorScheme().errorText("ablate " + cmd.getCommandName() + ": " + e.getMessage()));
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
