package io.ablate.experiment.spec;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * A YAML file as plain Java values (ordered maps, lists, strings, longs, doubles, booleans, null),
 * with the location of every key and list item by dotted path ({@code base.model.heads},
 * {@code seeds.0}).
 *
 * <p>Reading is strict, since a spec is hand-written: UTF-8 only, no key written twice in one mapping,
 * no custom tags, and bounds on size, nesting, aliases and expanded values (so that an alias bomb is a
 * located error, not an out-of-memory).
 */
public final class YamlTree {
  static final int MAX_BYTES = 1 << 20;
  static final int MAX_ALIASES = 50;
  static final int MAX_DEPTH = 64;
  static final int MAX_VALUES = 100_000;

  private final Object root;
  private final Map<String, Location> locations;

  private YamlTree(Object root, Map<String, Location> locations) {
    this.root = root;
    this.locations = locations;
  }

  public static YamlTree read(Path file) {
    String text = text(file);
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(MAX_ALIASES);
      checkEvents(new Yaml(options).parse(new StringReader(text)), file);
      Node node = new Yaml(options).compose(new StringReader(text));
      Map<String, Location> locations = new LinkedHashMap<>();
      Object root = node == null ? new LinkedHashMap<>() : new Converter(file, locations).convert(node, "", 0);
      return new YamlTree(root, locations);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new SpecException(mark == null ? new Location(file, 1, 1) : location(file, mark), null,
          "not valid YAML: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getContext()));
    } catch (ReaderException e) {
      throw new SpecException(at(file, text, e.getPosition()), null, String.format(
          "character U+%04X is not allowed in YAML text", e.getCodePoint()));
    } catch (YAMLException e) {
      throw new SpecException(new Location(file, 1, 1), null, "not valid YAML: " + oneLine(e.getMessage()));
    }
  }

  public Object root() {
    return root;
  }

  public Map<String, Location> locations() {
    return locations;
  }

  /** The file as UTF-8 text; the first undecodable byte is reported with its line and column. */
  private static String text(Path file) {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new SpecException(null, null, file + " is a folder, not a spec file");
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new SpecException(new Location(file, 1, 1), null, "a spec file is at most " + MAX_BYTES / 1024
            + " KiB; this one has " + Files.size(file) / 1024 + " KiB");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(null, null, "no such spec file: " + file);
    } catch (IOException e) {
      throw new SpecException(null, null, "cannot read " + file + ": " + e.getMessage());
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new SpecException(new Location(file, line, offset - lineStart + 1), null, String.format(
          "not UTF-8 text (byte 0x%02X at offset %d); save the spec as UTF-8", bytes[offset] & 0xff, offset));
    }
    decoder.flush(out);
    String text = out.flip().toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** Refuses alias bombs and absurd nesting before anything is expanded. */
  private static void checkEvents(Iterable<Event> events, Path file) {
    int aliases = 0;
    int depth = 0;
    for (Event event : events) {
      if (event instanceof AliasEvent && ++aliases > MAX_ALIASES) {
        throw new SpecException(location(file, event.getStartMark()), null, "more than " + MAX_ALIASES
            + " YAML aliases (*name); a spec never needs that many (an alias bomb?)");
      }
      if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
        throw new SpecException(location(file, event.getStartMark()), null, "nested more than " + MAX_DEPTH
            + " levels deep");
      }
      if (event instanceof CollectionEndEvent) {
        depth--;
      }
    }
  }

  /** Node graph → plain values, recording every key's location and refusing duplicates. */
  private static final class Converter {
    private final Path file;
    private final Map<String, Location> locations;
    private int values;

    Converter(Path file, Map<String, Location> locations) {
      this.file = file;
      this.locations = locations;
    }

    Object convert(Node node, String path, int depth) {
      if (depth > MAX_DEPTH || ++values > MAX_VALUES) {
        throw new SpecException(location(file, node.getStartMark()), path.length() > 60 ? path.substring(0, 57)
            + "..." : path, depth > MAX_DEPTH
            ? "nested more than " + MAX_DEPTH + " levels deep (a recursive alias?)"
            : "expands to more than " + MAX_VALUES + " values (aliases that multiply?)");
      }
      checkTag(node, path);
      if (node instanceof MappingNode map) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Location> seen = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
          if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
            throw new SpecException(location(file, tuple.getKeyNode().getStartMark()), path,
                "keys must be plain names");
          }
          String name = key.getValue();
          Location at = location(file, key.getStartMark());
          Location first = seen.putIfAbsent(name, at);
          if (first != null) {
            throw new SpecException(at, null, "duplicate key '" + name + "' at " + at.line() + ":" + at.column()
                + " (first written at " + first.line() + ":" + first.column() + ")");
          }
          String child = path.isEmpty() ? name : path + "." + name;
          locations.put(child, at);
          out.put(name, convert(tuple.getValueNode(), child, depth + 1));
        }
        return out;
      }
      if (node instanceof SequenceNode seq) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
          Node item = seq.getValue().get(i);
          String child = path + "." + i;
          locations.put(child, location(file, item.getStartMark()));
          out.add(convert(item, child, depth + 1));
        }
        return out;
      }
      return scalar((ScalarNode) node);
    }

    private void checkTag(Node node, String path) {
      Tag tag = node.getTag();
      if (!tag.startsWith(Tag.PREFIX)) {
        throw new SpecException(location(file, node.getStartMark()), path, "custom YAML tag " + tag.getValue()
            + " is not supported; write plain values");
      }
    }

    /** The YAML 1.1 core types, resolved the way SnakeYAML resolves plain scalars. */
    private Object scalar(ScalarNode scalar) {
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
        throw new SpecException(location(file, scalar.getStartMark()), null, "not a number (or too large): " + text);
      }
      return text;
    }
  }

  private static Location at(Path file, String text, int position) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < Math.min(position, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Location(file, line, position - lineStart + 1);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }

  static Location location(Path file, Mark mark) {
    return new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
  }
}
