package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.cli.template.FamilyTemplate;
import io.ablate.cli.template.PluginProject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BOM, the generated plugin pom and the example's pom agree with Ablate's own build: the same
 * version, the same ND4J/JUnit versions, the same Maven plugin versions (so that a plugin builds
 * offline with what building Ablate put in the local repository), and the same test JVM settings.
 * The BOM has no parent, so that Ablate's pins of third-party libraries do not reach plugins.
 */
class BomTest {
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

  private static Element pom(Path file) throws Exception {
    return pom(Files.readString(file));
  }

  private static Element pom(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
  }

  private static Element child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = e == null ? null : e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        out.add(c);
      }
    }
    return out;
  }

  private static String text(Element e, String... path) {
    Element at = e;
    for (String p : path) {
      at = at == null ? null : child(at, p);
    }
    return at == null ? null : at.getTextContent().strip();
  }

  /** artifactId → version of the build plugins (or pluginManagement plugins) of a pom. */
  private static Map<String, String> pluginVersions(Element plugins) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Element p : children(plugins, "plugin")) {
      out.put(text(p, "artifactId"), text(p, "version"));
    }
    return out;
  }

  private static Element surefire(Element plugins) {
    return children(plugins, "plugin").stream().filter(p -> "maven-surefire-plugin".equals(text(p, "artifactId")))
        .findFirst().orElseThrow();
  }

  @Test
  void bomHasNoParentAndTheVersionsOfAblate() throws Exception {
    Element root = pom(ROOT.resolve("pom.xml"));
    Element bom = pom(ROOT.resolve("framework/bom/pom.xml"));
    assertNull(child(bom, "parent"), "an imported BOM passes on its parent's dependencyManagement");
    String version = text(root, "version");
    assertEquals(version, text(bom, "version"), "BOM version");
    assertEquals(version, text(bom, "properties", "ablate.version"), "BOM ablate.version");
    assertEquals(version, AblateVersion.declared(), "ablate --version");
    for (String property : List.of("nd4j.version", "nd4j.classifier", "javacpp.version", "openblas.version",
        "junit.version", "slf4j.version")) {
      assertEquals(text(root, "properties", property), text(bom, "properties", property), property);
    }
    assertTrue(children(child(root, "modules"), "module").stream().anyMatch(m -> m.getTextContent().equals("framework/bom")),
        "the BOM is a module, so `mvn install` installs it");
    assertFalse(Files.readString(ROOT.resolve("pom.xml")).contains("<module>examples"), "examples stay outside the reactor");
  }

  @Test
  void bomManagesTheSpiTheKitAndEveryBuiltInPluginAndNoOtherLibraries() throws Exception {
    Element root = pom(ROOT.resolve("pom.xml"));
    Element bom = pom(ROOT.resolve("framework/bom/pom.xml"));
    List<String> managed = new ArrayList<>();
    for (Element d : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      String group = text(d, "groupId");
      assertTrue(List.of("io.ablate", "org.nd4j", "org.bytedeco", "org.junit", "org.slf4j").contains(group),
          "the BOM pins only Ablate, ND4J and test libraries; a plugin chooses its own versions of the rest: " + group);
      if (group.equals("io.ablate")) {
        managed.add(text(d, "artifactId"));
      }
    }
    List<String> needed = new ArrayList<>(List.of("ablate-spi", "ablate-tensor", "ablate-core", "ablate-testkit"));
    for (Element m : children(child(root, "modules"), "module")) {
      if (m.getTextContent().startsWith("plugins/")) {
        needed.add(text(pom(ROOT.resolve(m.getTextContent()).resolve("pom.xml")), "artifactId"));
      }
    }
    assertTrue(managed.containsAll(needed), "managed " + managed + ", needed " + needed);
  }

  @Test
  void pluginPomsBuildWithAblatesMavenPluginsAndTestSettings() throws Exception {
    Element root = pom(ROOT.resolve("pom.xml"));
    Element rootPlugins = child(child(child(root, "build"), "pluginManagement"), "plugins");
    Map<String, String> versions = pluginVersions(rootPlugins);
    Element rootSurefire = surefire(rootPlugins);
    String generated = PluginProject.render(FamilyTemplate.ATTENTION,
        new PluginProject.Names("my-attn", "MyAttn", "com.example.myattn", "com.example", AblateVersion.current()))
        .files().get("pom.xml");
    Map<String, Element> poms = Map.of("generated pom", pom(generated),
        "examples/talking-heads-attention/pom.xml", pom(ROOT.resolve("examples/talking-heads-attention/pom.xml")));
    for (Map.Entry<String, Element> e : poms.entrySet()) {
      Element plugins = child(child(e.getValue(), "build"), "plugins");
      pluginVersions(plugins).forEach((plugin, version) -> assertEquals(versions.get(plugin), version,
          e.getKey() + ": " + plugin + " as in Ablate's build (present in the local repository after building Ablate)"));
      for (String needed : List.of("maven-compiler-plugin", "maven-surefire-plugin", "maven-jar-plugin",
          "maven-resources-plugin", "maven-install-plugin", "maven-clean-plugin")) {
        assertTrue(pluginVersions(plugins).containsKey(needed), e.getKey() + " pins " + needed);
      }
      Element sure = surefire(plugins);
      assertEquals(text(rootSurefire, "configuration", "argLine"), text(sure, "configuration", "argLine"), e.getKey());
      assertEquals("PASSIVE", text(sure, "configuration", "environmentVariables", "OMP_WAIT_POLICY"), e.getKey());
      assertEquals(text(root, "version"), text(e.getValue(), "properties", "ablate.version"), e.getKey());
      assertEquals(text(root, "properties", "nd4j.classifier"), text(e.getValue(), "properties", "nd4j.classifier"));
    }
  }
}
