package io.ablate.experiment.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A study as written, after {@code extends:} and {@code --set} were applied.
 *
 * @param study lower-kebab-case name; results go to {@code results/<study>/}
 * @param base the configuration every variant starts from: task, tokenizer, model, train
 * @param baseline the factor levels of the variant others are compared with (empty: the first variant)
 * @param tracking the spec's {@code tracking:} section: where runs are logged (the command line wins)
 * @param locations where every key was written, by dotted path from the document root
 * @param tune train setting path ({@code train.lr}) → values each variant is trained with; the one
 *     with the best validation score is that variant's result (empty: no tuning)
 * @param match {@code none}, or {@code params}: every variant's parameter count is brought to the
 *     baseline's by adjusting its {@code model.ffn.hidden}
 */
public record StudySpec(String study, String description, Map<String, Object> base, Design design,
    Map<String, Object> baseline, List<Long> seeds, List<String> metrics, Tracking tracking, Map<String, Location> locations,
    Path file, Map<String, List<Object>> tune, String match) {

  /** Where a path (from the root, e.g. {@code base.model.heads}) or its nearest written ancestor was written. */
  public Location locate(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Location l = locations.get(p);
      if (l != null) {
        return l;
      }
      int dot = p.lastIndexOf('.');
      p = dot < 0 ? "" : p.substring(0, dot);
    }
    return new Location(file, 1, 1);
  }
}
