package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.experiment.run.RepeatPatterns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The induction-circuit diagnostics of every attention head ({@link RepeatPatterns}: prefix
 * matching as in Olsson et al. 2022, duplicate token, previous token) for runs whose captured
 * example is a string followed by itself. Read from the capture's {@code repeat_patterns} (averaged
 * over a batch of such examples) when it has them, else computed on the one captured example.
 * Written as {@code prefix_matching.csv} and shown in the report.
 */
final class PrefixMatching {
  static final String FILE = "prefix_matching.csv";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One head's scores in one run, in {@link RepeatPatterns#NAMES} order. */
  record Score(String variant, long seed, String layer, int head, double[] scores) {
    double score() {
      return scores[0];
    }
  }

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
    List<Score> out = new ArrayList<>();
    JsonNode measured = attention.path("repeat_patterns").path("layers");
    if (measured.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = measured.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> layer = it.next();
        int heads = layer.getValue().get(RepeatPatterns.NAMES.get(0)).size();
        for (int h = 0; h < heads; h++) {
          double[] scores = new double[RepeatPatterns.NAMES.size()];
          for (int s = 0; s < scores.length; s++) {
            scores[s] = layer.getValue().get(RepeatPatterns.NAMES.get(s)).get(h).asDouble();
          }
          out.add(new Score(variant, seed, layer.getKey(), h, scores));
        }
      }
      return out;
    }
    int[] tokens = ints(attention.get("tokens"));
    int n = RepeatPatterns.repeatLength(tokens);
    if (n == 0) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = attention.get("layers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> layer = it.next();
      JsonNode heads = layer.getValue();                                   // [H][Tq][Tk]
      for (int h = 0; h < heads.size(); h++) {
        JsonNode w = heads.get(h);
        out.add(new Score(variant, seed, layer.getKey(), h,
            RepeatPatterns.scores(n, tokens.length, (q, k) -> w.get(q).get(k).asDouble())));
      }
    }
    return out;
  }

  static void write(List<Score> scores, Path dir) throws IOException {
    StringBuilder csv = new StringBuilder("variant,seed,layer,head," + String.join(",", RepeatPatterns.NAMES) + "\n");
    for (Score s : scores) {
      csv.append('"').append(s.variant().replace("\"", "\"\"")).append("\",").append(s.seed()).append(',')
          .append(s.layer()).append(',').append(s.head());
      for (double score : s.scores()) {
        csv.append(',').append(score);
      }
      csv.append('\n');
    }
    Files.writeString(dir.resolve(FILE), csv);
  }

  /** An HTML table: one row per variant, layer and head, the mean score over seeds and its range. */
  static String html(List<Score> scores) {
    if (scores.isEmpty()) {
      return "";
    }
    StringBuilder h = new StringBuilder("<section id=\"prefix-matching\">\n<h2>Induction-circuit scores per head</h2>\n"
        + "<p class=\"note\">Mean attention weight on one key per query, on strings followed by themselves: "
        + "<b>prefix matching</b> from each token of the second copy to the token after its earlier occurrence "
        + "(Olsson et al. 2022; induction heads score near 1), <b>duplicate token</b> to that earlier occurrence "
        + "itself, <b>previous token</b> from every token to the one before it. Mean over seeds [min–max]; "
        + "a head attending uniformly scores about 1 / position.</p>\n<table class=\"summary detail\">\n"
        + "<thead><tr><th>variant</th><th>layer</th><th>head</th><th>seeds</th><th>prefix matching</th>"
        + "<th>duplicate token</th><th>previous token</th></tr></thead>\n<tbody>\n");
    scores.stream().map(s -> List.of(s.variant(), s.layer(), String.valueOf(s.head()))).distinct().forEach(key -> {
      List<Score> head = scores.stream().filter(s -> s.variant().equals(key.get(0)) && s.layer().equals(key.get(1))
          && String.valueOf(s.head()).equals(key.get(2))).toList();
      h.append("<tr><td>").append(HtmlReport.esc(key.get(0))).append("</td><td><code>")
          .append(HtmlReport.esc(key.get(1))).append("</code></td><td>").append(key.get(2)).append("</td><td>")
          .append(head.size()).append("</td>");
      for (int s = 0; s < RepeatPatterns.NAMES.size(); s++) {
        int score = s;
        double[] xs = head.stream().mapToDouble(x -> x.scores()[score]).toArray();
        h.append("<td class=\"num\">").append(String.format(Locale.ROOT, "%.3f [%.3f–%.3f]",
            Arrays.stream(xs).average().orElse(Double.NaN), Arrays.stream(xs).min().orElse(0),
            Arrays.stream(xs).max().orElse(0))).append("</td>");
      }
      h.append("</tr>\n");
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
