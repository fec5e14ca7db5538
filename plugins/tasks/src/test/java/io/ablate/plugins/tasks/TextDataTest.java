package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.tasks.text.BibleText;
import io.ablate.plugins.tasks.text.FortuneFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the bundled excerpts of the Bible command's output and of fortune files. */
class TextDataTest {
  @Test
  void bibleOutputBecomesOneVersePerLineWithoutHeadingsOrNumbers() throws IOException {
    List<String> verses = BibleText.parse(Files.readString(Path.of("src/test/resources/kjv/genesis-1.txt")));
    assertEquals(31 + 3, verses.size(), "Genesis 1 has 31 verses, 2:1-3 three more");
    assertEquals("In the beginning God created the heaven and the earth.", verses.get(0));
    assertEquals("And the earth was without form, and void; and darkness was upon the face of the deep. "
        + "And the Spirit of God moved upon the face of the waters.", verses.get(1), "wrapped lines joined");
    for (String v : verses) {
      assertFalse(v.matches("^\\d.*") || v.startsWith("Genesis"), "no verse number or heading: " + v);
    }
  }

  @Test
  void aMissingBibleCommandSaysWhichPackageAndTheAlternative() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.ablate.spi.ConfigException.class,
        () -> BibleText.verses("ablate-no-such-bible-command", "gen1:1", "lm-bible"));
    assertTrue(e.getMessage().contains("Debian package bible-kjv") && e.getMessage().contains("`path`")
        && e.getMessage().contains("scripts/install-system-packages.sh"), e.getMessage());
  }

  @Test
  void fortuneQuotesAreSplitOnPercentLines() {
    Path dir = Path.of("src/test/resources/fortunes");
    List<String> work = FortuneFiles.quotes(dir, "work", "test");
    assertEquals(40, work.size());
    assertTrue(work.get(0).startsWith("A bank is a place") && work.get(0).endsWith("-- Robert Frost"), work.get(0));
    assertTrue(work.stream().noneMatch(q -> q.contains("\n%\n") || q.equals("%")));
    assertEquals(List.of("computers", "science", "work"), FortuneFiles.categories(dir, "test"));
  }

  @Test
  void overstrikeIsReducedToTheStruckCharacter() throws IOException {
    Path dir = Files.createTempDirectory("fortunes");
    Files.writeString(dir.resolve("typed"), "_\bb_\bo_\bl_\bd and x\bx\n%\nsecond\n%\n");
    assertEquals(List.of("bold and x", "second"), FortuneFiles.quotes(dir, "typed", "test"));
  }
}
