package io.ablate.experiment.spec;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML file as plain Java values (ordered maps, lists, strings, longs, doubles, booleans, null),
 * with the location of every key and list item by dotted path ({@code base.model.heads},
 * {@code seeds.0}).
 */
public final class YamlTree {
  private final Object root;
  private final Map<String, Location> locations;

  private YamlTree(Object root, Map<String, Location> locations) {
    this.root = root;
    this.locations = locations;
  }

  public static YamlTree read(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      Node node = new Yaml(options).compose(reader);
      Map<String, Location> locations = new LinkedHashMap<>();
      Object root = node == null ? new LinkedHashMap<>() : convert(node, "", file, locations);
      return new YamlTree(root, locations);
    } catch (NoSuchFileException e) {
      throw new SpecException(null, null, "no such spec file: " + file);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      throw new SpecException(mark == null ? null : location(file, mark), null, "not valid YAML: " + e.getProblem());
    } catch (IOException e) {
      throw new SpecException(null, null, "cannot read " + file + ": " + e.getMessage());
    }
  }

  public Object root() {
    return root;
  }

  public Map<String, Location> locations() {
    return locations;
  }

  private static Object convert(Node node, String path, Path file, Map<String, Location> locations) {
    if (node instanceof MappingNode map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple tuple : map.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          throw new SpecException(location(file, tuple.getKeyNode().getStartMark()), path, "keys must be plain names");
        }
        String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
        locations.put(child, location(file, key.getStartMark()));
        out.put(key.getValue(), convert(tuple.getValueNode(), child, file, locations));
      }
      return out;
    }
    if (node instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        Node item = seq.getValue().get(i);
        String child = path + "." + i;
        locations.put(child, location(file, item.getStartMark()));
        out.add(convert(item, child, file, locations));
      }
      return out;
    }
    ScalarNode scalar = (ScalarNode) node;
    return scalar(scalar, file);
  }

  /** The YAML 1.1 core types, resolved the way SnakeYAML resolves plain scalars. */
  private static Object scalar(ScalarNode scalar, Path file) {
    String text = scalar.getValue();
    Tag tag = scalar.getTag();
    try {
      if (Tag.NULL.equals(tag)) {
        return null;
      }
      if (Tag.BOOL.equals(tag)) {
        return Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT)) || text.equalsIgnoreCase("yes")
            || text.equalsIgnoreCase("on");
      }
      if (Tag.INT.equals(tag)) {
        long v = Long.decode(text.replace("_", ""));
        return v == (int) v ? (Object) (int) v : (Object) v;
      }
      if (Tag.FLOAT.equals(tag)) {
        return Double.parseDouble(text.replace("_", ""));
      }
    } catch (NumberFormatException e) {
      throw new SpecException(location(file, scalar.getStartMark()), null, "not a number: " + text);
    }
    return text;
  }

  static Location location(Path file, Mark mark) {
    return new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
  }
}
