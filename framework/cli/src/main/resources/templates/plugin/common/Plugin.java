package {{package}};

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import java.util.List;

/**
 * The plugin's entry point, listed in {@code META-INF/services/io.ablate.spi.Plugin}. Ablate loads the
 * jar in its own class loader and registers every factory below under its family and name.
 */
public final class {{Class}}Plugin implements Plugin {
  @Override
  public String name() {
    return "{{name}}";
  }

  @Override
  public String spiVersion() {
    return Spi.VERSION;   // a constant, compiled into this class: it records the SPI the jar was built against
  }

  @Override
  public List<ComponentFactory<?, ?>> factories() {
    return List.of({{Class}}.FACTORY);
  }
}
