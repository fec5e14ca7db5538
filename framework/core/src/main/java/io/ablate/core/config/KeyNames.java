package io.ablate.core.config;

/** Record components are camelCase in Java and snake_case in YAML. */
public final class KeyNames {
  private KeyNames() {}

  public static String toSnake(String camel) {
    StringBuilder out = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
