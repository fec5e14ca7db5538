package io.ablate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ablate.bench.BenchConfig;
import io.ablate.bench.BenchModel;
import io.ablate.bench.BenchResult;
import io.ablate.bench.EngineBenchmark;
import io.ablate.bench.LeverComparison;
import io.ablate.bench.PeakGemm;
import io.ablate.bench.PyTorchBaseline;
import io.ablate.bench.TheoreticalPeak;
import io.ablate.bench.samediff.SameDiffBaseline;
import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.tensor.Lever;
import io.ablate.tensor.Threads;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ablate bench}: engine throughput, MFU, memory, and ratios to SameDiff and PyTorch. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Train the benchmark decoder (built by the plugin registry, as studies build it) and report "
        + "tokens/s, ms per phase, GFLOP/s, MFU and memory.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--config", defaultValue = "tiny", description = "tiny | small (default: ${DEFAULT-VALUE})")
  String config;

  @Option(names = "--spec", paramLabel = "FILE",
      description = "benchmark the base model of this study spec (its architecture, task vocabulary and length, "
          + "train.batch) instead of --config; language-model tasks only")
  Path specFile;

  @Mixin
  PluginPathOption pluginPath;

  @Option(names = "--eval",
      description = "time evaluation instead of training: the loss of each batch without gradients, as a study's "
          + "evaluation pass runs it")
  boolean evaluation;

  @Option(names = "--seq-len", paramLabel = "T",
      description = "the --config model at another sequence length (its learned position table follows), e.g. a "
          + "long-context evaluation")
  Integer seqLen;

  @Option(names = "--steps", defaultValue = "50", description = "timed training steps (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--warmup", defaultValue = "5", description = "untimed warm-up steps (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--seed", defaultValue = "1", description = "initialisation and data seed")
  long seed;

  @Option(names = "--threads", description = "threads for ND4J and BLAS (default: 1 for tiny models, all cores otherwise)")
  Integer threads;

  @Option(names = "--profile", description = "print time per tensor op (forward and backward, timed steps only) to stderr")
  boolean profile;

  @Option(names = "--json", description = "print one JSON object instead of a table")
  boolean json;

  @Option(names = "--baseline", description = "samediff: also train the tiny model through SameDiff and print the ratio")
  String baseline;

  @Option(names = "--baseline-steps", defaultValue = "10", description = "SameDiff timed steps (default: ${DEFAULT-VALUE})")
  int baselineSteps;

  @Option(names = "--baseline-warmup", defaultValue = "5", description = "SameDiff untimed steps (default: ${DEFAULT-VALUE})")
  int baselineWarmup;

  @Option(names = "--ab", paramLabel = "LEVER",
      description = "judge one speed lever in this process: rounds of two blocks of --steps, the lever off and on "
          + "in alternating order, after one untimed block each way (parallel-kernels, fused-norm, fused-softmax, "
          + "fused-adam, split-gemm, fused-bias, spin-handoff, fused-cross-entropy, fused-attention)")
  String ab;

  @Option(names = "--rounds", defaultValue = "5", description = "rounds of --ab (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--compare-pytorch", description = "also run scripts/bench_pytorch.py on the same config")
  boolean comparePytorch;

  @Override
  public Integer call() throws Exception {
    BenchConfig cfg = BenchConfig.named(config);
    if (seqLen != null) {
      if (specFile != null || seqLen < 2) {
        System.err.println("ablate bench --seq-len: " + (specFile != null
            ? "changes the --config model only; a --spec takes its length from the spec's task"
            : "must be at least 2, got " + seqLen));
        return 2;
      }
      cfg = cfg.withSeqLen(seqLen);
    }
    if (evaluation && baseline != null) {
      System.err.println("ablate bench --eval: the SameDiff baseline trains only; leave out --baseline");
      return 2;
    }
    if (baseline != null && !baseline.equals("samediff")) {
      System.err.println("unknown baseline '" + baseline + "' — known: samediff");
      return 2;
    }
    Lever lever = null;
    if (ab != null) {
      try {
        lever = Lever.named(ab);
      } catch (IllegalArgumentException e) {
        System.err.println("ablate bench --ab: " + e.getMessage());
        return 2;
      }
      if (baseline != null || comparePytorch || profile) {
        System.err.println("ablate bench: --ab compares this engine with itself; it takes no --baseline, "
            + "--compare-pytorch or --profile");
        return 2;
      }
    }
    Registry registry = Wiring.registry(pluginPath.directories());
    Path home = Path.of(System.getProperty("ablate.home", "."));
    BenchModel target = specFile == null ? BenchModel.of(cfg)
        : StudyBenchModel.load(specFile, registry, home.resolve("results"));
    if (specFile != null && (baseline != null || comparePytorch)) {
      System.err.println("ablate bench: --baseline and --compare-pytorch mirror the named --config models only, "
          + "not a --spec");
      return 2;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    long dModel = ((Number) target.architecture().options().getOrDefault("d_model", 64)).longValue();
    int used = threads != null ? threads : Threads.chooseFor(target.tokensPerStep(), dModel);
    if (lever != null) {
      Threads.use(used);
      return compareLever(lever, new EngineBenchmark(registry, target, seed), target.name() + modeSuffix(), used);
    }
    Threads.use(cores);
    PeakGemm.Result peak = PeakGemm.measure(4.0, cores);   // the machine's peak: all cores
    TheoreticalPeak fma = TheoreticalPeak.ofThisMachine();
    Threads.use(used);
    if (profile) {
      io.ablate.tensor.OpProfiler.enable();
      io.ablate.tensor.NativeCounters.enable();
    }
    BenchResult ours;
    EngineBenchmark engine = new EngineBenchmark(registry, target, seed);
    try (ProgressBar bar = progressBar("ablate " + target.name(), steps)) {
      ours = engine.run(warmup, steps, peak.gflops(), step -> bar.stepTo(step), evaluation);
    }
    if (profile) {
      System.err.print(io.ablate.tensor.OpProfiler.report());
      double[] perStep = engine.nativePerStep();
      System.err.printf("per training step: %.1f libnd4j op calls, %.1f native objects created (buffers, op contexts)%n",
          perStep[0], perStep[1]);
    }
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode out = mapper.createObjectNode();
    out.put("config", ours.config());
    out.put("mode", evaluation ? "evaluation" : "training");
    out.put("seq_len", target.seqLen());
    out.put("batch", target.batch());
    out.put("steps", ours.steps());
    out.put("parameters", ours.parameters());
    out.put("tokens_per_s", ours.tokensPerSecond());
    out.put("ms_per_step", ours.msPerStep());
    out.put("ms_forward", ours.msForward());
    out.put("ms_backward", ours.msBackward());
    out.put("ms_optimizer", ours.msOptimizer());
    out.put("gflops", ours.gflops());
    out.put("peak_gemm_gflops", ours.peakGemmGflops());
    out.put("peak_gemm_size", peak.size());
    out.put("peak_gemm_threads", peak.threads());
    out.put("peak_gemm_products", peak.products());
    out.put("mfu", ours.mfu());
    out.put("cpu", fma.model());
    out.put("fma_peak_gflops", fma.gflops());
    out.put("fma_peak_basis", String.format("%d cores × %.2f GHz × %d FLOP/cycle", fma.cores(), fma.ghz(),
        fma.flopsPerCycle()));
    out.put("mfu_fma", fma.gflops() > 0 ? ours.gflops() / fma.gflops() : Double.NaN);
    out.put("first_loss", ours.firstLoss());
    out.put("last_loss", ours.lastLoss());
    out.put("rss_mb", ours.rssMb());
    ObjectNode rssAt = out.putObject("rss_mb_at_step");
    ours.rssMbAtStep().forEach((step, mb) -> rssAt.put(Integer.toString(step), mb));
    out.put("backend", Nd4j.getBackend().getClass().getSimpleName());
    out.put("threads", used);
    out.put("blas_kernels", io.ablate.tensor.BlasKernels.description());

    if (baseline != null) {
      Threads.use(cores);   // SameDiff gets every core
      SameDiffBaseline.Result sd;
      java.io.PrintStream stdout = System.out;
      System.setOut(System.err);   // SameDiff prints to stdout; keep it clean for --json
      try {
        sd = SameDiffBaseline.run(cfg, baselineSteps, seed, baselineWarmup);
      } finally {
        System.setOut(stdout);
      }
      out.put("baseline", "samediff");
      out.put("baseline_tokens_per_s", sd.tokensPerSecond());
      out.put("baseline_ms_per_step", sd.msPerStep());
      out.put("ratio", ours.tokensPerSecond() / sd.tokensPerSecond());
    }
    if (comparePytorch) {
      StringBuilder why = new StringBuilder();
      Optional<JsonNode> torch = new PyTorchBaseline(home)
          .run(cfg, steps, cores, evaluation, why);
      if (torch.isPresent()) {
        double torchTps = torch.get().get("tokens_per_s").asDouble();
        out.set("pytorch", torch.get());
        out.put("pytorch_tokens_per_s", torchTps);
        out.put("pytorch_ratio", ours.tokensPerSecond() / torchTps);
        if (baseline == null) {
          out.put("baseline", "pytorch");
          out.put("baseline_tokens_per_s", torchTps);
          out.put("ratio", ours.tokensPerSecond() / torchTps);
        }
      } else {
        out.put("pytorch_unavailable", why.toString());
      }
    }
    if (json) {
      System.out.println(mapper.writeValueAsString(out));
    } else {
      printTable(out);
    }
    return 0;
  }

  /** {@code --ab}: the lever's rounds, as a table or one JSON object. */
  private int compareLever(Lever lever, EngineBenchmark engine, String model, int used) throws Exception {
    LeverComparison.Result r;
    try (ProgressBar bar = progressBar("ablate " + model + " " + lever.cliName() + " off/on", 2 * rounds)) {
      r = LeverComparison.run(engine, lever, rounds, warmup, steps, evaluation, bar::stepTo);
    }
    if (json) {
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("config", model);
      out.put("mode", evaluation ? "evaluation" : "training");
      out.put("lever", lever.cliName());
      out.put("threads", used);
      out.put("steps", steps);
      ArrayNode list = out.putArray("rounds");
      r.rounds().forEach(round -> list.addObject().put("off_ms_per_step", round.offMs()).put("on_ms_per_step",
          round.onMs()));
      out.put("mean_off_ms_per_step", r.meanOffMs());
      out.put("mean_on_ms_per_step", r.meanOnMs());
      out.put("wins", r.wins());
      out.put("change", r.change());
      System.out.println(out);
      return 0;
    }
    System.out.printf("config %s, lever %s (%s), %d thread(s), %d rounds of %d + %d steps, off and on alternating%n", model,
        lever.cliName(), lever.property(), used, rounds, warmup, steps);
    for (int i = 0; i < r.rounds().size(); i++) {
      LeverComparison.Round round = r.rounds().get(i);
      System.out.printf("  round %d   off %8.2f ms/step   on %8.2f ms/step%n", i + 1, round.offMs(), round.onMs());
    }
    System.out.printf("  mean      off %8.2f ms/step   on %8.2f ms/step   %+.1f %%, on faster in %d of %d rounds%n",
        r.meanOffMs(), r.meanOnMs(), 100 * r.change(), r.wins(), r.rounds().size());
    return 0;
  }

  /** Appended to the model's name in reports: what a step was. */
  private String modeSuffix() {
    return evaluation ? " (evaluation)" : "";
  }

  private static ProgressBar progressBar(String task, int steps) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
  }

  private static void printTable(ObjectNode r) {
    System.out.printf("config %s, %d parameters, %d timed %s steps of %d × %d tokens, backend %s, %d thread(s)%n",
        r.get("config").asText(), r.get("parameters").asLong(), r.get("steps").asInt(), r.get("mode").asText(),
        r.get("batch").asInt(), r.get("seq_len").asInt(), r.get("backend").asText(), r.get("threads").asInt());
    System.out.printf("  BLAS kernels    %s%n", r.get("blas_kernels").asText());
    System.out.printf("  tokens/s        %12.0f%n", r.get("tokens_per_s").asDouble());
    System.out.printf("  ms/step         %12.2f  (forward %.2f, backward %.2f, optimizer %.2f)%n",
        r.get("ms_per_step").asDouble(), r.get("ms_forward").asDouble(), r.get("ms_backward").asDouble(),
        r.get("ms_optimizer").asDouble());
    System.out.printf("  GFLOP/s         %12.2f  → MFU %.1f%% of the measured GEMM peak, %.1f GFLOP/s (best of %d "
            + "float32 products, %d×%d×%d the fastest, %d threads)%n",
        r.get("gflops").asDouble(), 100 * r.get("mfu").asDouble(), r.get("peak_gemm_gflops").asDouble(),
        r.get("peak_gemm_products").asInt(), r.get("peak_gemm_size").asInt(), r.get("peak_gemm_size").asInt(),
        r.get("peak_gemm_size").asInt(), r.get("peak_gemm_threads").asInt());
    System.out.printf("                                → MFU %.1f%% of the FMA peak, %.1f GFLOP/s (%s, %s)%n",
        100 * r.get("mfu_fma").asDouble(), r.get("fma_peak_gflops").asDouble(), r.get("fma_peak_basis").asText(),
        r.get("cpu").asText());
    System.out.printf("  loss            %12.4f → %.4f%n", r.get("first_loss").asDouble(), r.get("last_loss").asDouble());
    StringBuilder rss = new StringBuilder();
    r.get("rss_mb_at_step").fields().forEachRemaining(e ->
        rss.append(String.format(" step %s: %.0f MB;", e.getKey(), e.getValue().asDouble())));
    System.out.println("  resident memory" + rss);
    if (r.has("baseline")) {
      System.out.printf("  %-15s %12.0f tokens/s → ours ÷ %s = %.2f×%n", r.get("baseline").asText(),
          r.get("baseline_tokens_per_s").asDouble(), r.get("baseline").asText(), r.get("ratio").asDouble());
    }
    if (r.has("pytorch_tokens_per_s") && !"pytorch".equals(r.path("baseline").asText())) {
      System.out.printf("  pytorch         %12.0f tokens/s → ours ÷ pytorch = %.2f×%n",
          r.get("pytorch_tokens_per_s").asDouble(), r.get("pytorch_ratio").asDouble());
    }
    if (r.has("pytorch_unavailable")) {
      System.out.println("  pytorch: not run — " + r.get("pytorch_unavailable").asText());
    }
  }
}
