package io.ablate.experiment.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The code that trains: the git commit it was built from and whether {@code framework/}, {@code plugins/}
 * or the root {@code pom.xml} had uncommitted changes, embedded at build time in
 * {@code ablate-build.properties}. Built outside a git checkout, the commit is unknown (null), and no
 * run is called stale for it.
 *
 * @param commit the full commit hash, or null when unknown
 */
public record Provenance(String commit, boolean dirty) {
  private static final Provenance CURRENT = load();

  /** The code running now. */
  public static Provenance current() {
    return CURRENT;
  }

  /** {@code 3f2a9c1} or {@code 3f2a9c1+dirty}, or {@code unknown}. */
  public String shortForm() {
    return commit == null ? "unknown" : commit.substring(0, Math.min(7, commit.length())) + (dirty ? "+dirty" : "");
  }

  /**
   * Whether a finished run was trained by other code than this: another commit, or the same commit
   * with and without local changes. Unknown on either side is not stale (nothing to compare).
   */
  public boolean differsFrom(String otherCommit, Boolean otherDirty) {
    if (commit == null || otherCommit == null || otherCommit.isEmpty()) {
      return false;
    }
    return !commit.equals(otherCommit) || (otherDirty != null && otherDirty != dirty);
  }

  /** Whether the run in {@code record} was trained by other code than what runs now. */
  public static boolean stale(RunRecord record) {
    return record.finished() && CURRENT.differsFrom(record.gitCommit(), record.gitDirty());
  }

  private static Provenance load() {
    try (InputStream in = Provenance.class.getResourceAsStream("/ablate-build.properties")) {
      if (in == null) {
        return new Provenance(null, false);
      }
      Properties p = new Properties();
      p.load(in);
      String commit = p.getProperty("commit", "").strip();
      return new Provenance(commit.matches("[0-9a-f]{7,64}") ? commit : null,
          Boolean.parseBoolean(p.getProperty("dirty", "false").strip()));
    } catch (IOException e) {
      return new Provenance(null, false);
    }
  }
}
