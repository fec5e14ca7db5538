package io.ablate.cli;

import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.function.Supplier;
import java.util.jar.JarOutputStream;

/**
 * Runs a study's unfinished cells as one Spark job through {@code spark-submit} (standalone, Kubernetes
 * or YARN: whatever {@code --master} names), one task per cell, and waits for it. The Spark application
 * ({@code io.ablate.spark.SparkCells}, in the ablate-spark jar) has only Spark on its class path; each of
 * its tasks starts {@code ablate run-cell} in a child JVM on Ablate's class path. This class never loads
 * Spark. Files go to {@code <results>/<study>/spark/}: the job file, the driver's log, each cell attempt's log.
 */
final class SparkExecutor {
  static final String DIR = "spark";
  static final String APP = "io.ablate.spark.SparkCells";
  private static final int NOT_SHARED = 3;

  private final ExecutorOptions options;
  private final CellCommandLine command;
  /** With {@code --state mlflow}: the cells not done on the tracking server (no shared folder to look in); else null. */
  private final Supplier<List<RunSpec>> leftOnServer;

  SparkExecutor(ExecutorOptions options, CellCommandLine command, Supplier<List<RunSpec>> leftOnServer) {
    this.options = options;
    this.command = command;
    this.leftOnServer = leftOnServer;
  }

  /** Checks, before anything is written, that spark-submit exists and the master answers; else one clear line. */
  static Path preflight(ExecutorOptions options) {
    if (options.master == null || options.master.isBlank()) {
      throw new IllegalArgumentException("--executor spark needs --master URL (spark://host:7077, "
          + "k8s://https://host:port, yarn or local[N])");
    }
    reachable(options.master);
    Path submit = sparkSubmit();
    if (options.gpusPerCell < 0 || options.maxFailures < 1) {
      throw new IllegalArgumentException("--gpus-per-cell must be ≥ 0 and --max-failures ≥ 1");
    }
    return submit;
  }

  private static Path sparkSubmit() {
    String home = System.getenv("SPARK_HOME");
    if (home != null && !home.isBlank()) {
      Path submit = Path.of(home, "bin", "spark-submit");
      if (Files.isExecutable(submit)) {
        return submit;
      }
      throw new IllegalArgumentException("--executor spark: SPARK_HOME is " + home + " but it has no bin/spark-submit");
    }
    Path submit = Executables.which("spark-submit");
    if (submit == null) {
      throw new IllegalArgumentException("--executor spark: spark-submit not found (set SPARK_HOME, or put a Spark "
          + "4.2 distribution's bin/ on the PATH; `pip install pyspark==4.2.0` provides one)");
    }
    return submit;
  }

  /** spark:// and k8s:// masters must accept a connection: a wrong URL fails here, not after minutes of retries. */
  private static void reachable(String master) {
    List<String> hostPorts = new ArrayList<>();
    if (master.startsWith("spark://")) {
      for (String hp : master.substring("spark://".length()).split(",")) {
        hostPorts.add(hp);
      }
    } else if (master.startsWith("k8s://")) {
      try {
        URI api = new URI(master.substring("k8s://".length()));
        if (api.getHost() == null) {
          throw new URISyntaxException(master, "expected k8s://https://host:port");
        }
        int port = api.getPort() > 0 ? api.getPort() : "http".equals(api.getScheme()) ? 80 : 443;
        hostPorts.add(api.getHost() + ":" + port);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--master " + master + ": not a URL (" + e.getMessage() + ")");
      }
    } else {
      return;                                  // yarn (from HADOOP_CONF_DIR), local[N]: nothing to dial
    }
    String last = null;
    for (String hp : hostPorts) {
      int colon = hp.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("--master " + master + ": expected host:port after the scheme");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))), 5000);
        return;
      } catch (IOException | NumberFormatException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    throw new IllegalArgumentException("--executor spark: the master " + master + " is not reachable (" + last
        + "); is it running, and is the URL right?");
  }

  /** Runs the cells; returns the number of cells left unfinished. */
  int run(StudyPlan plan, List<RunSpec> cells, PrintWriter out) throws IOException, InterruptedException {
    Path submit = preflight(options);
    Path dir = plan.dir().resolve(DIR);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT));
    boolean shared = leftOnServer == null;
    Path logs = Files.createDirectories(dir.resolve("logs-" + stamp));
    Path probe = null;
    if (shared) {                             // without a shared folder, no probe: the executors see nothing of ours
      probe = dir.resolve("probe-" + stamp);
      Files.writeString(probe, "written by the driver; the executors must see it\n");
    }
    Path job = dir.resolve("job-" + stamp + ".properties");
    writeJob(job, plan, cells, probe, shared ? logs : null);
    List<String> cmd = new ArrayList<>(List.of(submit.toString(), "--master", options.master, "--name",
        "ablate-" + plan.spec().study(), "--class", APP,
        "--conf", "spark.task.cpus=" + options.cpusPerCell,
        "--conf", "spark.task.maxFailures=" + options.maxFailures,
        "--conf", "spark.speculation=false",
        "--conf", "spark.executorEnv.OMP_WAIT_POLICY=PASSIVE"));
    if (options.gpusPerCell > 0) {
      cmd.addAll(List.of("--conf", "spark.task.resource.gpu.amount=" + options.gpusPerCell));
      if (options.sparkConf.stream().noneMatch(c -> c.startsWith("spark.executor.resource.gpu.amount="))) {
        cmd.addAll(List.of("--conf", "spark.executor.resource.gpu.amount=" + (int) Math.ceil(options.gpusPerCell)));
      }
    }
    for (String conf : options.sparkConf) {
      if (!conf.contains("=")) {
        throw new IllegalArgumentException("--spark-conf " + conf + ": expected KEY=VALUE");
      }
      cmd.addAll(List.of("--conf", conf));
    }
    cmd.add(appJar(dir).toString());
    cmd.add(job.toString());
    Path driverLog = dir.resolve("driver-" + stamp + ".log");
    out.printf("spark: %d cells as one job on %s (driver log %s, cell logs %s)%n", cells.size(), options.master,
        driverLog, shared ? logs : "in each executor's temp folder");
    out.flush();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(driverLog.toFile());
    pb.environment().remove("CLASSPATH");
    Process p = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));   // Ctrl-C stops the Spark application too
    int code = p.waitFor();
    if (probe != null) {
      Files.deleteIfExists(probe);
    }
    if (code == NOT_SHARED) {
      throw new IllegalArgumentException("--executor spark: the results folder " + plan.dir() + " is not visible on "
          + "the executors (" + lastLine(driverLog, "not shared:") + "); give --results-dir on a file system they "
          + "share");
    }
    List<RunSpec> left = shared ? cells.stream().filter(r -> Cells.done(plan.directory(r)).isEmpty()).toList()
        : leftOnServer.get();
    if (code == 0 && !left.isEmpty() && shared) {
      throw new IllegalArgumentException("--executor spark: Spark ran every cell but " + left.size() + " of them are "
          + "not done in " + plan.dir() + " as this machine sees it (e.g. " + Cells.id(plan, left.get(0)) + "): the "
          + "results folder is not shared with the executors");
    }
    if (code != 0) {
      out.printf("spark: the job failed (spark-submit exit %d): %s; see %s%n", code,
          lastLine(driverLog, "Exception"), driverLog);
      out.flush();
    }
    return left.size();
  }

  private void writeJob(Path job, StudyPlan plan, List<RunSpec> cells, Path probe, Path logs) throws IOException {
    Properties p = new Properties();
    p.setProperty("study", plan.spec().study());
    if (probe != null) {
      p.setProperty("probe", probe.toAbsolutePath().toString());
    }
    if (logs != null) {
      p.setProperty("logs", logs.toAbsolutePath().toString());
    }
    List<String> words = command.runCell("CELL", options.leaseTimeout);
    int cellAt = words.indexOf("--cell");
    List<String> prefix = new ArrayList<>(words.subList(0, cellAt));
    prefix.addAll(words.subList(cellAt + 2, words.size()));      // the task appends --cell ID
    for (int i = 0; i < prefix.size(); i++) {
      p.setProperty("command." + i, prefix.get(i));
    }
    for (int i = 0; i < cells.size(); i++) {
      p.setProperty("cell." + i, Cells.id(plan, cells.get(i)));
    }
    try (OutputStream o = Files.newOutputStream(job)) {
      p.store(o, "ablate run --executor spark: the cells of study " + plan.spec().study());
    }
  }

  /** The ablate-spark jar on this class path (a jar made from its classes when run from a build's folders). */
  static Path appJar(Path dir) throws IOException {
    String resource = APP.replace('.', '/') + ".class";
    URL url = SparkExecutor.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalArgumentException("--executor spark: the ablate-spark jar is not on Ablate's class path "
          + "(rebuild with `mvn install -DskipTests`)");
    }
    try {
      if ("jar".equals(url.getProtocol())) {
        String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
        return Path.of(new URI(file));
      }
      Path classes = Path.of(url.toURI());
      for (int i = 0; i < APP.split("\\.").length; i++) {
        classes = classes.getParent();
      }
      return jarOf(classes, Files.createDirectories(dir).resolve("ablate-spark.jar"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path jarOf(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        var files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static String lastLine(Path log, String containing) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).contains(containing)) {
          return lines.get(i).strip();
        }
      }
      return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    } catch (IOException e) {
      return "no log";
    }
  }
}
