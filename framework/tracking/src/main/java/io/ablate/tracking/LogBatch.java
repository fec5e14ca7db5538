package io.ablate.tracking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One log-batch request within MLflow's limits: at most 1000 metrics, 100 params, 100 tags and
 * 1000 entities in all.
 */
record LogBatch(List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {

  static List<LogBatch> split(List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
    List<LogBatch> out = new ArrayList<>();
    List<Map.Entry<String, String>> p = new ArrayList<>(params.entrySet());
    List<Map.Entry<String, String>> t = new ArrayList<>(tags.entrySet());
    int m = 0;
    int pi = 0;
    int ti = 0;
    while (m < metrics.size() || pi < p.size() || ti < t.size()) {
      Map<String, String> bp = new LinkedHashMap<>();
      Map<String, String> bt = new LinkedHashMap<>();
      while (pi < p.size() && bp.size() < MlflowNames.MAX_PARAMS_OR_TAGS_PER_BATCH) {
        bp.put(p.get(pi).getKey(), p.get(pi).getValue());
        pi++;
      }
      while (ti < t.size() && bt.size() < MlflowNames.MAX_PARAMS_OR_TAGS_PER_BATCH) {
        bt.put(t.get(ti).getKey(), t.get(ti).getValue());
        ti++;
      }
      int room = Math.min(MlflowNames.MAX_METRICS_PER_BATCH, MlflowNames.MAX_ENTITIES_PER_BATCH - bp.size() - bt.size());
      int end = Math.min(metrics.size(), m + room);
      out.add(new LogBatch(List.copyOf(metrics.subList(m, end)), bp, bt));
      m = end;
    }
    return out;
  }
}
