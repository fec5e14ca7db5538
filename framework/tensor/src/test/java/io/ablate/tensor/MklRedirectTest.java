package io.ablate.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MklRedirectTest {
  private static final CpuInfo INTEL = CpuInfo.parse(CpuInfoTest.EMERALD_RAPIDS);
  private static final CpuInfo AMD = CpuInfo.parse(CpuInfoTest.ZEN4);

  @Test
  void intelGetsMklAndAmdKeepsOpenBlas() {
    assertTrue(MklRedirect.wanted(INTEL, null));
    assertFalse(MklRedirect.wanted(AMD, null));
    assertFalse(MklRedirect.wanted(CpuInfo.UNKNOWN, null));
  }

  @Test
  void theUsersChoiceWinsEitherWay() {
    assertFalse(MklRedirect.wanted(INTEL, "openblas"));
    assertTrue(MklRedirect.wanted(AMD, " MKL "));
    assertTrue(MklRedirect.wanted(INTEL, ""));            // empty: as if unset
  }

  @Test
  void anUnknownChoiceSaysWhatIsExpected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MklRedirect.wanted(INTEL, "blis"));
    assertTrue(e.getMessage().contains("ABLATE_BLAS=blis") && e.getMessage().contains("mkl or openblas"), e.getMessage());
  }
}
