package io.ablate.cli;

import io.ablate.experiment.run.StudyPlan;
import io.ablate.tracking.TrackingUri;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs {@code ablate <subcommand>} for one study in a fresh JVM on this JVM's own
 * class path (so a Spark executor's or a batch node's libraries never meet Ablate's), with every
 * path made absolute and the tracking destination fixed, so that it means the same on any machine
 * that shares the folders.
 */
final class CellCommandLine {
  private final List<String> java;
  private final List<String> study;

  private CellCommandLine(List<String> java, List<String> study) {
    this.java = java;
    this.study = study;
  }

  /**
   * @param mlflow {@code --state mlflow}: the cells get no results folder (each node uses its own scratch)
   *     and keep their state on the tracking server
   */
  static CellCommandLine of(StudyOptions options, PluginPathOption plugins, TrackingOptions tracking,
      StudyPlan plan, boolean mlflow) {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.add("-Xmx" + Math.max(256, Runtime.getRuntime().maxMemory() / (1024 * 1024)) + "m");
    java.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
    String home = System.getProperty("ablate.home");
    if (home != null) {
      java.add("-Dablate.home=" + home);
    }
    java.add("-cp");
    java.add(absoluteClassPath());
    java.add(Ablate.class.getName());

    List<String> study = new ArrayList<>();
    study.add(options.spec.toAbsolutePath().normalize().toString());
    for (String set : options.sets) {
      study.add("--set");
      study.add(set);
    }
    if (mlflow) {
      study.add("--state");
      study.add("mlflow");
    } else {
      study.add("--results-dir");
      study.add(options.resultsRoot().toAbsolutePath().normalize().toString());
    }
    for (Path dir : plugins.directories()) {
      study.add("--plugin-path");
      study.add(dir.toAbsolutePath().normalize().toString());
    }
    study.add("--tracking-uri");
    study.add(trackingUri(tracking, plan));
    if (tracking.experiment != null) {
      study.add("--experiment");
      study.add(tracking.experiment);
    }
    study.add("--tracking-wait");
    study.add(Long.toString(tracking.waitSeconds));
    return new CellCommandLine(java, study);
  }

  /** {@code java … Ablate run-cell SPEC … --cell ID}. */
  List<String> runCell(String cell, long leaseTimeout) {
    List<String> cmd = new ArrayList<>(java);
    cmd.add("run-cell");
    cmd.addAll(study);
    cmd.add("--cell");
    cmd.add(cell);
    cmd.add("--lease-timeout");
    cmd.add(Long.toString(leaseTimeout));
    return cmd;
  }

  /** {@code java … Ablate <subcommand> SPEC …}, e.g. {@code finish}. */
  List<String> command(String subcommand) {
    List<String> cmd = new ArrayList<>(java);
    cmd.add(subcommand);
    cmd.addAll(study);
    return cmd;
  }

  /** The tracking URI the driver resolved (as {@code ablate run} would), local paths made absolute. */
  static String trackingUri(TrackingOptions tracking, StudyPlan plan) {
    String given = tracking.uri != null ? tracking.uri : plan.spec().tracking().uri();
    String resolved = TrackingUri.resolve(given);
    if (resolved.equals(TrackingUri.DEFAULT)) {
      return TrackingOptions.defaultStore().toAbsolutePath().normalize().toString();
    }
    if (resolved.equalsIgnoreCase(TrackingUri.NONE) || resolved.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return resolved;
    }
    return Path.of(resolved).toAbsolutePath().normalize().toString();
  }

  private static String absoluteClassPath() {
    List<String> parts = new ArrayList<>();
    for (String part : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!part.isEmpty()) {
        parts.add(Path.of(part).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(File.pathSeparator, parts);
  }

  /** One shell word. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  static String shell(List<String> words) {
    return String.join(" ", words.stream().map(CellCommandLine::quote).toList());
  }
}
