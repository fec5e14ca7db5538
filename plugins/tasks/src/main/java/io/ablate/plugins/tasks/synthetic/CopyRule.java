package io.ablate.plugins.tasks.synthetic;

/** {@code copy}: the target is the source. */
final class CopyRule extends SymbolRule {
  @Override
  public String componentName() {
    return "copy";
  }

  @Override
  public String apply(String source) {
    return source;
  }
}
