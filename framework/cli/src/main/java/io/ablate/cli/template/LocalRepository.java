package io.ablate.cli.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The local Maven repository, where {@code mvn install} in the Ablate checkout puts Ablate's artifacts. */
public record LocalRepository(Path root) {
  private static final Pattern LOCAL_REPOSITORY = Pattern.compile("<localRepository>\\s*(.*?)\\s*</localRepository>");

  /** {@code -Dmaven.repo.local}, else {@code <localRepository>} of {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}. */
  public static LocalRepository find() {
    String home = System.getProperty("user.home");
    String property = System.getProperty("maven.repo.local");
    if (property != null && !property.isBlank()) {
      return new LocalRepository(Path.of(property));
    }
    Path settings = Path.of(home, ".m2", "settings.xml");
    if (Files.isRegularFile(settings)) {
      try {
        Matcher m = LOCAL_REPOSITORY.matcher(Files.readString(settings));
        if (m.find() && !m.group(1).isBlank()) {
          return new LocalRepository(Path.of(m.group(1).replace("${user.home}", home)));
        }
      } catch (IOException e) {
        // unreadable settings: Maven would fail on them too; fall back to the default location
      }
    }
    return new LocalRepository(Path.of(home, ".m2", "repository"));
  }

  /** Where {@code groupId:artifactId:version} with this extension ({@code jar}, {@code pom}) lies. */
  public Path artifact(String groupId, String artifactId, String version, String extension) {
    return root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
        .resolve(artifactId + "-" + version + "." + extension);
  }

  /** An Ablate artifact ({@code io.ablate}). */
  public Path ablate(String artifactId, String version, String extension) {
    return artifact("io.ablate", artifactId, version, extension);
  }
}
