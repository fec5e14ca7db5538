package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.experiment.schema.SchemaGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ablate schema}: the JSON Schema of study specs, from the registered components. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Print the JSON Schema of study specs (for editor completion and checking), built from the "
        + "registered components, plugins included.")
public final class SchemaCommand implements Callable<Integer> {
  @Mixin
  PluginPathOption pluginPath;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String json = SchemaGenerator.toJson(SchemaGenerator.generate(Wiring.registry(pluginPath.directories())));
    if (output != null) {
      Files.writeString(output, json + "\n");
    } else {
      spec.commandLine().getOut().println(json);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
