package io.ablate.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogBatchTest {
  @Test
  void splitsWithinMlflowLimitsAndKeepsEverythingOnce() {
    List<MetricPoint> metrics = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      metrics.add(new MetricPoint("loss", i, 1000 + i, i));
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      params.put("p" + i, "v" + i);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      tags.put("t" + i, "v" + i);
    }
    List<LogBatch> batches = LogBatch.split(metrics, params, tags);
    Set<Long> steps = new HashSet<>();
    int p = 0;
    int t = 0;
    for (LogBatch b : batches) {
      assertTrue(b.metrics().size() <= 1000, "metrics per batch");
      assertTrue(b.params().size() <= 100 && b.tags().size() <= 100, "params/tags per batch");
      assertTrue(b.metrics().size() + b.params().size() + b.tags().size() <= 1000, "entities per batch");
      b.metrics().forEach(m -> assertTrue(steps.add(m.step()), "metric sent twice"));
      p += b.params().size();
      t += b.tags().size();
    }
    assertEquals(2500, steps.size());
    assertEquals(150, p);
    assertEquals(30, t);
    assertEquals(3, batches.size());   // 870 + 1000 + 630 metrics beside 100 + 50 params and 30 tags
  }

  @Test
  void longValuesAreTruncatedWithAMarkerAndLongKeysDropped() {
    Map<String, String> limited = MlflowNames.params(Map.of("model.x", "y".repeat(7000), "k".repeat(251), "v"));
    assertEquals(1, limited.size());
    assertEquals(6000, limited.get("model.x").length());
    assertTrue(limited.get("model.x").endsWith(MlflowNames.TRUNCATED));
  }

  @Test
  void metricNamesMapToMlflowsAlphabetAndBack() {
    assertEquals("exact_match.len:24", MlflowNames.metric("exact_match@len=24"));
    assertEquals("exact_match@len=24", MlflowNames.ablateMetric("exact_match.len:24"));
    assertEquals("loss", MlflowNames.metric("loss"));
  }
}
