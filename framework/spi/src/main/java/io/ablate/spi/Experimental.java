package io.ablate.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** API that may change in a minor SPI version; excluded from the compatibility check. */
@Documented
@Retention(RetentionPolicy.CLASS)
public @interface Experimental {}
