package io.ablate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.core.Wiring;
import io.ablate.core.config.ConfigKey;
import io.ablate.core.plugin.Component;
import io.ablate.core.plugin.Registry;
import io.ablate.spi.Family;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ablate plugins}: every component, per family, with its description and config keys. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = "List every component per family, with its description and config keys.")
public final class PluginsCommand implements Callable<Integer> {
  @Mixin
  PluginPathOption pluginPath;

  @Option(names = "--json", description = "Print a JSON object keyed by family.")
  boolean json;

  @Option(names = "--family", paramLabel = "FAMILY", description = "Only this family (tokenizer, embedding, "
      + "positional, attention, normalization, feedforward, architecture, task).")
  String family;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Registry registry = Wiring.registry(pluginPath.directories());
    List<Family<?>> families = selected();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(asJson(registry, families)));
    } else {
      printText(registry, families, out);
    }
    out.flush();
    return 0;
  }

  private List<Family<?>> selected() {
    if (family == null) {
      return Family.ALL;
    }
    Family<?> f = Family.byId(family);
    if (f == null) {
      throw new IllegalArgumentException(io.ablate.core.config.Suggestions.unknown("family", family,
          Family.ALL.stream().map(Family::id).toList()));
    }
    return List.of(f);
  }

  static Map<String, Object> asJson(Registry registry, List<Family<?>> families) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Family<?> f : families) {
      List<Map<String, Object>> components = new ArrayList<>();
      for (Component c : registry.list(f)) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", c.name());
        entry.put("description", c.description());
        entry.put("plugin", c.plugin().name());
        entry.put("plugin_version", c.plugin().version());
        entry.put("source", c.plugin().source());
        List<Map<String, Object>> config = new ArrayList<>();
        for (ConfigKey key : c.configKeys()) {
          Map<String, Object> k = new LinkedHashMap<>();
          k.put("key", key.name());
          k.put("type", key.type());
          k.put("required", key.required());
          k.put("default", key.defaultValue());
          k.put("description", key.description());
          config.add(k);
        }
        entry.put("config", config);
        components.add(entry);
      }
      root.put(f.id(), components);
    }
    return root;
  }

  private static void printText(Registry registry, List<Family<?>> families, PrintWriter out) {
    for (Family<?> f : families) {
      List<Component> components = registry.list(f);
      out.println(f.id() + " (" + components.size() + ")");
      for (Component c : components) {
        out.printf("  %-16s %s%n", c.name(), c.description());
        String from = "classpath".equals(c.plugin().source()) ? "" : " from " + c.plugin().source();
        out.printf("  %-16s plugin %s %s%s%n", "", c.plugin().name(), c.plugin().version(), from);
        for (ConfigKey key : c.configKeys()) {
          String value = key.required() ? "required" : "default " + key.defaultValue();
          out.printf("      %-18s %-22s %-16s %s%n", key.name(), key.type(), value, key.description());
        }
      }
      out.println();
    }
  }
}
