package io.ablate.experiment.spec;

/**
 * A study's name becomes a folder ({@code results/<study>/}) and an MLflow experiment name, so it is
 * lower-kebab-case, of bounded length: no path separators, no {@code ..}, no control characters.
 */
public final class StudyNames {
  public static final int MAX_LENGTH = 80;

  private StudyNames() {}

  public static void check(String study, Location at) {
    String shown = printable(study);
    if (study.isEmpty()) {
      throw new SpecException(at, "study", "the study name is empty; it names the results folder");
    }
    if (study.length() > MAX_LENGTH) {
      throw new SpecException(at, "study", "the study name has " + study.length() + " characters; at most "
          + MAX_LENGTH + " (it names a folder and an MLflow experiment)");
    }
    String why = study.chars().anyMatch(Character::isISOControl) ? "it contains a control character"
        : study.contains("/") || study.contains("\\") ? "it contains a path separator"
        : study.contains("..") ? "it contains '..'"
        : null;
    if (why != null || !study.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new SpecException(at, "study", "expected a lower-kebab-case name such as 'norm-ablation' (it names "
          + "the results folder), got '" + shown + "'" + (why == null ? "" : ": " + why));
    }
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().limit(MAX_LENGTH).forEach(c -> out.append(Character.isISOControl(c)
        ? String.format("\\u%04x", c) : Character.toString(c)));
    return out + (s.length() > MAX_LENGTH ? "…" : "");
  }
}
