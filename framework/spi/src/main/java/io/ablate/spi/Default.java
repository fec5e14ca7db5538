package io.ablate.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a config key takes when the YAML leaves it out, written as it would be in YAML
 * ({@code "64"}, {@code "true"}, {@code "sqrt_dk"}, {@code "[1, 2]"}, {@code "{type: mha}"}).
 * A key without a default is required. {@link #NULL} makes an optional key that defaults to null.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
  String NULL = "~";

  String value();
}
