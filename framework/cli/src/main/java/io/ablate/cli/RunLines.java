package io.ablate.cli;

import io.ablate.experiment.run.RunListener;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Without a terminal (a pipe, a file, nohup, Slurm, CI): one plain line per evaluation and per
 * finished run, never a carriage return or a colour code, each line whole and flushed, e.g.
 * <pre>
 * eval  positional=rotary--seed-1  step 100/200  exact_match 0.4375  loss 0.8123
 * done  [3/12]  positional=rotary--seed-1  FINISHED  41.2 s  exact_match 0.5000  loss 0.7012
 * </pre>
 * The metrics shown are the study's {@code metrics:} (all but per-length ones when it names none).
 */
final class RunLines implements RunListener {
  private final PrintWriter out;
  private final List<String> metrics;
  private final int runs;
  private final Map<String, Integer> totalSteps = new ConcurrentHashMap<>();
  private int done;

  RunLines(PrintWriter out, List<String> metrics, int runs) {
    this.out = out;
    this.metrics = metrics;
    this.runs = runs;
  }

  @Override
  public void started(RunSpec run, int totalSteps) {
    this.totalSteps.put(run.id(), totalSteps);
  }

  @Override
  public synchronized void evaluated(RunSpec run, int step, Map<String, Double> values) {
    out.printf(Locale.ROOT, "eval  %s  step %d/%d%s%n", run.id(), step, totalSteps.getOrDefault(run.id(), step),
        shown(values));
    out.flush();
  }

  @Override
  public synchronized void ended(RunSpec run, RunRecord record) {
    done++;
    String status = record == null ? "interrupted" : RunRecord.label(record.status());
    String detail = record == null ? ""
        : record.status() == RunRecord.FAILED ? ": " + oneLine(record.failure())
        : String.format(Locale.ROOT, "  %.1f s%s", record.wallSeconds(), shown(record.metrics()));
    out.printf(Locale.ROOT, "done  [%d/%d]  %s  %s%s%n", done, runs, run.id(), status, detail);
    out.flush();
  }

  /** The study's metrics in its order (all but per-length and confusion entries when it names none). */
  private String shown(Map<String, Double> values) {
    List<String> names = !metrics.isEmpty() ? metrics
        : values.keySet().stream().filter(n -> !n.contains("@") && !n.startsWith("confusion/")).toList();
    StringBuilder line = new StringBuilder();
    for (String name : names) {
      Double value = values.get(name);
      if (value != null) {
        line.append(String.format(Locale.ROOT, "  %s %.4f", name, value));
      }
    }
    return line.toString();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
