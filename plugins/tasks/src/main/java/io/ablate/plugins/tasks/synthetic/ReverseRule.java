package io.ablate.plugins.tasks.synthetic;

/** {@code reverse}: the target is the source backwards. */
final class ReverseRule extends SymbolRule {
  @Override
  public String componentName() {
    return "reverse";
  }

  @Override
  public String apply(String source) {
    return new StringBuilder(source).reverse().toString();
  }
}
