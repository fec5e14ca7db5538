package io.ablate.plugins.text;

import java.util.List;

/** Small English training text and samples written from its words, for the tokenizer tests. */
public final class TestTexts {
  private TestTexts() {}

  /** About 2 KB: enough repetition for merges, varied enough for limits to bind; one entry holds a tab and a line break. */
  public static final List<String> CORPUS = List.of(
      "The quick brown fox jumps over the lazy dog.",
      "A lazy dog sleeps in the warm sun, and the fox watches.",
      "Light is refracted when it passes from air into water or glass.",
      "The rays of light that fall upon a prism are bent towards its base.",
      "Newton showed that white light is a mixture of colours (red, orange, yellow, green, blue and violet).",
      "Each colour is refracted by a different amount, so the prism spreads the light into a spectrum.",
      "When the spectrum passes through a second prism, no new colours appear.",
      "Don't look directly at the sun; it's far too bright for the eye.",
      "The lower the frequency, the longer the wavelength of the light.",
      "Lenses bend light to form images: the eye, the camera and the telescope all use them.",
      "A thin lens brings parallel rays to a focus at its focal length.",
      "Mirrors reflect light, and the angle of reflection equals the angle of incidence.",
      "The quick experiments were repeated many times, and the results were always the same.",
      "Some colours are mixed from others; green light and red light together look yellow.",
      "The fox jumps, the dog sleeps, and the light bends through the glass.",
      "Water waves, sound waves and light waves all carry energy from place to place.",
      "In 1672 Newton sent his theory of light and colours to the Royal Society.",
      "Numbers like 42, 7 and 2024 appear in the text too.",
      "Refraction, reflection and dispersion are the three effects studied here.",
      "Warm light from the sun passes through the window and falls on the floor.",
      "A document of two lines:\tone with a tab,\nand a second line.");

  /** Lines of the corpus: every word and character is known after training. */
  public static final List<String> SAMPLES = List.of(
      "The quick brown fox jumps over the lazy dog.",
      "Don't look directly at the sun; it's far too bright for the eye.",
      "Newton showed that white light is a mixture of colours (red, orange, yellow, green, blue and violet).",
      "Numbers like 42, 7 and 2024 appear in the text too.",
      "the light bends");

  /** Corpus words with untidy whitespace: tokenizers that normalise spacing give it back tidied. */
  public static final String UNTIDY = "  The   lazy dog\tsleeps\n in the  warm sun.  ";
}
