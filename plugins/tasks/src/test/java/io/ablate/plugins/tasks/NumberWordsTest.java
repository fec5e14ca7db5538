package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ablate.plugins.tasks.pairs.ChineseNumbers;
import io.ablate.plugins.tasks.pairs.EnglishNumbers;
import org.junit.jupiter.api.Test;

/** The number-word converters on hand-written cases. */
class NumberWordsTest {
  @Test
  void english() {
    assertEquals("zero", EnglishNumbers.words(0));
    assertEquals("ten", EnglishNumbers.words(10));
    assertEquals("eleven", EnglishNumbers.words(11));
    assertEquals("twenty", EnglishNumbers.words(20));
    assertEquals("twenty-one", EnglishNumbers.words(21));
    assertEquals("one hundred one", EnglishNumbers.words(101));
    assertEquals("one hundred ten", EnglishNumbers.words(110));
    assertEquals("three hundred twelve", EnglishNumbers.words(312));
    assertEquals("one thousand", EnglishNumbers.words(1000));
    assertEquals("one thousand five", EnglishNumbers.words(1005));
    assertEquals("ten thousand five", EnglishNumbers.words(10005));
    assertEquals("one hundred thousand", EnglishNumbers.words(100000));
    assertEquals("nine hundred ninety-nine thousand nine hundred ninety-nine", EnglishNumbers.words(999999));
    assertEquals("one million two hundred thousand seventeen", EnglishNumbers.words(1_200_017));
    assertThrows(IllegalArgumentException.class, () -> EnglishNumbers.words(-1));
  }

  @Test
  void chinese() {
    assertEquals("零", ChineseNumbers.words(0));
    assertEquals("一", ChineseNumbers.words(1));
    assertEquals("十", ChineseNumbers.words(10));
    assertEquals("十一", ChineseNumbers.words(11));
    assertEquals("十二", ChineseNumbers.words(12));
    assertEquals("二十", ChineseNumbers.words(20));
    assertEquals("一百零一", ChineseNumbers.words(101));
    assertEquals("一百一十", ChineseNumbers.words(110));
    assertEquals("一百一十二", ChineseNumbers.words(112));
    assertEquals("三百一十二", ChineseNumbers.words(312));
    assertEquals("二百", ChineseNumbers.words(200), "两 is not used");
    assertEquals("一千", ChineseNumbers.words(1000));
    assertEquals("一千零五", ChineseNumbers.words(1005));
    assertEquals("一千零五十", ChineseNumbers.words(1050));
    assertEquals("一千零一十", ChineseNumbers.words(1010));
    assertEquals("一万", ChineseNumbers.words(10000));
    assertEquals("一万零五", ChineseNumbers.words(10005));
    assertEquals("一万零一百", ChineseNumbers.words(10100));
    assertEquals("一万一千", ChineseNumbers.words(11000));
    assertEquals("十万", ChineseNumbers.words(100000));
    assertEquals("十万零一十", ChineseNumbers.words(100010));
    assertEquals("十一万", ChineseNumbers.words(110000));
    assertEquals("一百万", ChineseNumbers.words(1_000_000));
    assertEquals("九十九万九千九百九十九", ChineseNumbers.words(999999));
    assertEquals("九千九百九十九万九千九百九十九", ChineseNumbers.words(99_999_999));
    assertThrows(IllegalArgumentException.class, () -> ChineseNumbers.words(100_000_000));
  }
}
