package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prefix-matching score of every attention head (Olsson et al. 2022): on a captured example
 * that is a sequence followed by itself, the mean attention each token of the second copy pays to
 * the token after the earlier occurrence of the same token, i.e. position i attends to i − n + 1
 * for a copy of length n. An induction head scores near 1; a uniform causal head about 1 / i.
 * Written as {@code prefix_matching.csv} and shown in the report, for runs whose
 * {@code attention.json} example is such a repeat.
 */
final class PrefixMatching {
  static final String FILE = "prefix_matching.csv";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One head's score in one run. */
  record Score(String variant, long seed, String layer, int head, double score) {}

  private PrefixMatching() {}

  /** Scores of every finished run with a repeated example, in variant then seed order. */
  static List<Score> of(StudyResults results) {
    List<Score> out = new ArrayList<>();
    for (RunResult run : results.runs()) {
      if (run.finished() && run.attention() != null) {
        try {
          out.addAll(scores(run.variant(), run.record().seed(), read(run.attention())));
        } catch (RuntimeException e) {
          // an unreadable or differently shaped capture has no score; the attention plot says the rest
        }
      }
    }
    return out;
  }

  /** Per layer and head, or nothing when the example's tokens are not one string repeated. */
  static List<Score> scores(String variant, long seed, JsonNode attention) {
    int[] tokens = ints(attention.get("tokens"));
    int n = repeatLength(tokens);
    List<Score> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = attention.get("layers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> layer = it.next();
      JsonNode heads = layer.getValue();                                   // [H][Tq][Tk]
      for (int h = 0; h < heads.size(); h++) {
        double sum = 0;
        int count = 0;
        for (int i = n; i < tokens.length; i++) {
          sum += heads.get(h).get(i).get(i - n + 1).asDouble();
          count++;
        }
        out.add(new Score(variant, seed, layer.getKey(), h, sum / count));
      }
    }
    return out;
  }

  /**
   * n when the tokens are s s minus the last token (the input of a causal LM on s s), with n ≥ 2;
   * else 0.
   */
  static int repeatLength(int[] tokens) {
    if (tokens.length < 3 || tokens.length % 2 == 0) {
      return 0;
    }
    int n = (tokens.length + 1) / 2;
    for (int i = n; i < tokens.length; i++) {
      if (tokens[i] != tokens[i - n]) {
        return 0;
      }
    }
    return n;
  }

  static void write(List<Score> scores, Path dir) throws IOException {
    StringBuilder csv = new StringBuilder("variant,seed,layer,head,prefix_matching\n");
    for (Score s : scores) {
      csv.append('"').append(s.variant().replace("\"", "\"\"")).append("\",").append(s.seed()).append(',')
          .append(s.layer()).append(',').append(s.head()).append(',').append(s.score()).append('\n');
    }
    Files.writeString(dir.resolve(FILE), csv);
  }

  /** An HTML table: one row per variant, layer and head, the mean score over seeds and its range. */
  static String html(List<Score> scores) {
    if (scores.isEmpty()) {
      return "";
    }
    StringBuilder h = new StringBuilder("<section id=\"prefix-matching\">\n<h2>Prefix-matching score per head</h2>\n"
        + "<p class=\"note\">Mean attention from each token of the second copy to the token after its earlier "
        + "occurrence (Olsson et al. 2022), on each run's captured example; mean over seeds [min–max]. "
        + "Induction heads score near 1.</p>\n<table class=\"summary detail\">\n<thead><tr><th>variant</th>"
        + "<th>layer</th><th>head</th><th>seeds</th><th>score</th></tr></thead>\n<tbody>\n");
    scores.stream().map(s -> List.of(s.variant(), s.layer(), String.valueOf(s.head()))).distinct().forEach(key -> {
      double[] xs = scores.stream().filter(s -> s.variant().equals(key.get(0)) && s.layer().equals(key.get(1))
          && String.valueOf(s.head()).equals(key.get(2))).mapToDouble(Score::score).toArray();
      double mean = java.util.Arrays.stream(xs).average().orElse(Double.NaN);
      h.append("<tr><td>").append(HtmlReport.esc(key.get(0))).append("</td><td><code>")
          .append(HtmlReport.esc(key.get(1))).append("</code></td><td>").append(key.get(2)).append("</td><td>")
          .append(xs.length).append("</td><td class=\"num\">")
          .append(String.format(Locale.ROOT, "%.3f [%.3f–%.3f]", mean, java.util.Arrays.stream(xs).min().orElse(0),
              java.util.Arrays.stream(xs).max().orElse(0))).append("</td></tr>\n");
    });
    return h.append("</tbody>\n</table>\n</section>\n").toString();
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
