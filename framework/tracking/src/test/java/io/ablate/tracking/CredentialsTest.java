package io.ablate.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  @Test
  void basicAuthAndTokenComeFromMlflowsEnvironmentVariables() {
    Credentials basic = Credentials.from(Map.of("MLFLOW_TRACKING_USERNAME", "ada", "MLFLOW_TRACKING_PASSWORD", "s3cret"));
    assertEquals("Basic YWRhOnMzY3JldA==", basic.authorization().orElseThrow());
    Credentials token = Credentials.from(Map.of("MLFLOW_TRACKING_TOKEN", "tok", "MLFLOW_TRACKING_USERNAME", "ada"));
    assertEquals("Bearer tok", token.authorization().orElseThrow(), "a token wins over basic auth");
    assertTrue(Credentials.from(Map.of()).authorization().isEmpty());
  }

  @Test
  void credentialsNeverAppearInTheirTextOrInErrors() {
    Credentials basic = Credentials.from(Map.of("MLFLOW_TRACKING_USERNAME", "ada", "MLFLOW_TRACKING_PASSWORD", "s3cret"));
    assertFalse(basic.toString().contains("s3cret") || basic.toString().contains("ada"), basic.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrackingUri.open("ftp://ada:s3cret@host/x"));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertTrue(e.getMessage().contains("http(s)://host:port"), e.getMessage());
  }
}
