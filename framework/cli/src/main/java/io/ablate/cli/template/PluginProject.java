package io.ablate.cli.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin project rendered from the templates under {@code templates/plugin/}: file paths relative
 * to the project folder and their contents. Placeholders are {@code {{key}}}; a template that names
 * an unknown key is an error, never text left in a generated file.
 *
 * @param files relative path → content, in the order they are listed to the user
 * @param contractTest what the contract test extends, one line for the user
 */
public record PluginProject(Map<String, String> files, String contractTest) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z]+)}}");

  /** Everything a template may refer to. */
  public record Names(String name, String className, String packageName, String groupId, String ablateVersion) {
    String packagePath() {
      return packageName.replace('.', '/');
    }
  }

  /** Renders every file of the family's template with these names. */
  public static PluginProject render(FamilyTemplate template, Names names) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("name", names.name());
    values.put("Class", names.className());
    values.put("package", names.packageName());
    values.put("packagePath", names.packagePath());
    values.put("groupId", names.groupId());
    values.put("ablateVersion", names.ablateVersion());
    values.put("family", template.family());
    values.put("modelKey", template.modelKey());
    values.put("summary", template.summary());
    values.put("contract", template.contractSimpleName());

    String family = template.folder();
    String src = "src/main/java/" + names.packagePath() + "/";
    String test = "src/test/java/" + names.packagePath() + "/";
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pom.xml", fill("common/pom.xml", values));
    files.put("README.md", fill("common/README.md", values));
    files.put(".gitignore", fill("common/gitignore", values));
    files.put(src + names.className() + ".java", fill(family + "/Component.java", values));
    files.put(src + names.className() + "Plugin.java", fill("common/Plugin.java", values));
    files.put("src/main/resources/META-INF/services/io.ablate.spi.Plugin", fill("common/services", values));
    files.put(test + names.className() + "ContractTest.java", fill(family + "/ContractTest.java", values));
    files.put(test + names.className() + "Test.java", fill(family + "/Test.java", values));
    files.put("studies/" + names.name() + "-vs-builtins.yaml", fill(family + "/study.yaml", values));
    return new PluginProject(files, "the contract test extends " + template.contractSimpleName()
        + " of ablate-testkit " + names.ablateVersion());
  }

  /** Writes the files under {@code dir}, creating folders. */
  public void write(Path dir) throws IOException {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
    }
  }

  static String fill(String resource, Map<String, String> values) {
    String text = read("/templates/plugin/" + resource);
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("template " + resource + " uses unknown placeholder {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String read(String resource) {
    try (InputStream in = PluginProject.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing template resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
