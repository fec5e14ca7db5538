package io.ablate.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens {@code report.html} in headless Chromium: the page's DOM has the summary rows and every
 * embedded image decodes to a non-zero size; a screenshot is not blank. Skipped, with a message,
 * where no Chromium is installed (CI installs it); {@code -Dablate.chromium=PATH} picks a binary.
 */
class ReportChromiumTest {
  /** Appended to a copy of the page: records what the browser decoded once everything has loaded. */
  private static final String PROBE = """
      <script>
      window.addEventListener("load", () => {
        const images = [...document.images];
        document.body.setAttribute("data-images",
            images.map(i => i.naturalWidth + "x" + i.naturalHeight + (i.complete ? "" : "!")).join(","));
        document.body.setAttribute("data-summary-rows",
            document.querySelectorAll("#summary table.summary tbody tr").length);
        document.body.setAttribute("data-winner",
            [...document.querySelectorAll("#summary tr.winner")].map(r => r.dataset.variant).join("|"));
      });
      </script>
      """;

  @TempDir
  static Path root;

  static StudyFixture fixture;
  static Path page;
  static Path chromium;

  @BeforeAll
  static void writeReport() throws IOException {
    chromium = chromium().orElse(null);
    if (chromium != null) {
      fixture = StudyFixture.write(root, true);
      page = ReportWriter.write(fixture.dir).html();
    }
  }

  /** Each test is skipped, with the reason, where there is no browser. */
  private static void requireChromium() {
    Assumptions.assumeTrue(chromium != null, "Chromium not found (looked for -Dablate.chromium, /usr/bin/chromium, "
        + "chromium, chromium-browser, google-chrome on PATH): skipping the headless-browser check of report.html; "
        + "install it with `apt-get install chromium`");
  }

  @Test
  void domHasTheSummaryRowsAndEveryImageDecodes() throws Exception {
    requireChromium();
    Path probed = page.resolveSibling("report-probed.html");
    Files.writeString(probed, Files.readString(page).replace("</body>", PROBE + "</body>"));
    String dom = run("--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString());
    Matcher body = Pattern.compile("<body ([^>]*)>").matcher(dom);
    assertTrue(body.find(), "a <body> in the dumped DOM:\n" + dom.substring(0, Math.min(500, dom.length())));
    String attributes = body.group(1);
    assertEquals(String.valueOf(fixture.variants.size()), attribute(attributes, "data-summary-rows"));
    assertEquals("positional=rotary", attribute(attributes, "data-winner"));
    String[] images = attribute(attributes, "data-images").split(",");
    assertEquals(2 + fixture.variants.size(), images.length, attributes);
    for (String image : images) {
      assertTrue(image.matches("[1-9][0-9]*x[1-9][0-9]*"), "decoded, non-zero size and complete: " + image);
    }
    for (String variant : fixture.variants) {
      assertTrue(dom.contains("<th scope=\"row\">" + variant), "row of " + variant);
    }
  }

  @Test
  void screenshotIsNotBlank() throws Exception {
    requireChromium();
    Path shot = root.resolve("shot.png");
    run("--hide-scrollbars", "--window-size=1280,1600", "--screenshot=" + shot, page.toUri().toString());
    BufferedImage image = ImageIO.read(shot.toFile());
    assertEquals(1280, image.getWidth());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 50, "text, tables and plots drawn: " + colours.size() + " colours");
  }

  private static String attribute(String attributes, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
    assertTrue(m.find(), name + " set by the probe: " + attributes);
    return m.group(1).replace("&quot;", "\"").replace("&amp;", "&");
  }

  /** Runs Chromium headless with its own profile; returns stdout. */
  private static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + root.resolve("profile")));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(root, "chromium", ".out");
    Process p = new ProcessBuilder(command).redirectErrorStream(false).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "Chromium finished within 90 s");
    assertEquals(0, p.exitValue(), "Chromium exit status");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static Optional<Path> chromium() {
    String explicit = System.getProperty("ablate.chromium");
    if (explicit != null) {
      return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
    }
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      Stream.of(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
          .map(d -> Path.of(d, name)).forEach(candidates::add);
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }
}
