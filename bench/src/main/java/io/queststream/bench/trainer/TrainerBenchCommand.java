package io.queststream.bench.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.bench.machine.BenchHeader;
import io.queststream.bench.machine.Machine;
import io.queststream.bench.machine.OpenBlasKernel;
import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.gating.GatingTrainer;
import io.queststream.trainer.gating.PairSet;
import io.queststream.trainer.ridge.OpenBlas;
import io.queststream.trainer.ridge.RidgeDataset;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.ridge.RidgeTrainer;
import io.queststream.trainer.ridge.SplitAssigner;
import io.queststream.trainer.transform.VerbosityDebiaser;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Stage-1 fit time against scikit-learn's Ridge on the same matrices with the same alphas and split (the matrix is
 * written to a file the Python script reads), and stage-2 training steps per second.
 *
 * <p>A Debian numpy takes its BLAS from whatever libblas.so.3 resolves to, so the scikit-learn side is run once per
 * requested BLAS with LD_LIBRARY_PATH pointing at that BLAS's Debian directory, and the script reports the libraries
 * it actually loaded.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Time stage 1 against scikit-learn Ridge (runs --python with bench/tools/bench_sklearn.py on the "
        + "same matrix, once per --sklearn-blas) and stage-2 gating steps/s.")
public final class TrainerBenchCommand implements Callable<Integer> {

  /** BLAS builds a Debian numpy can be pointed at (amd64 multiarch paths). */
  enum SklearnBlas {
    /** Whatever the system's libblas.so.3 / liblapack.so.3 alternatives select. */
    system(List.of(), "-"),
    /** Debian libopenblas0-pthread. */
    openblas(List.of("/usr/lib/x86_64-linux-gnu/openblas-pthread"), "apt-get install -y libopenblas0-pthread"),
    /** Debian libblas3 + liblapack3, the single-threaded reference implementations. */
    reference(List.of("/usr/lib/x86_64-linux-gnu/blas", "/usr/lib/x86_64-linux-gnu/lapack"),
        "apt-get install -y libblas3 liblapack3");

    final List<String> libraryDirs;
    final String install;

    SklearnBlas(List<String> libraryDirs, String install) {
      this.libraryDirs = libraryDirs;
      this.install = install;
    }
  }

  @Option(names = "--rows", defaultValue = "20000")
  int rows;

  @Option(names = "--dims", split = ",", defaultValue = "384,4096")
  List<Integer> dims;

  @Option(names = "--attributes", defaultValue = "6")
  int attributes;

  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with scikit-learn")
  String python;

  @Option(names = "--script", defaultValue = "bench/tools/bench_sklearn.py")
  Path script;

  @Option(names = "--work", defaultValue = "target/bench", description = "Where the matrix files go")
  Path work;

  @Option(names = "--sklearn-blas", split = ",", defaultValue = "openblas,reference",
      description = "BLAS builds to run scikit-learn with: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  List<SklearnBlas> sklearnBlas;

  @Option(names = "--sklearn-timeout-s", defaultValue = "1800",
      description = "Give up on one scikit-learn run after this many seconds")
  long sklearnTimeoutSeconds;

  @Option(names = "--gating-steps", defaultValue = "10")
  int gatingSteps;

  @Option(names = "--gating-batches", split = ",", defaultValue = "64,1024")
  List<Integer> gatingBatches;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    BenchHeader.print(System.out);
    System.out.println("java BLAS: " + OpenBlas.describe());
    System.out.println("OpenBLAS    " + OpenBlasKernel.describe());
    String alphas = Arrays.stream(RidgeTrainer.DEFAULT_ALPHAS).mapToObj(Double::toString)
        .collect(Collectors.joining(","));
    for (int d : dims) {
      benchRidge(d, alphas);
    }
    for (int batch : gatingBatches) {
      benchGating(384, batch);
    }
    return 0;
  }

  private void benchRidge(int d, String alphas) throws IOException, InterruptedException {
    Random rnd = new Random(d);
    float[][] x = new float[rows][d];
    double[][] y = new double[rows][attributes];
    double[][] w = new double[attributes][d];
    for (double[] row : w) {
      for (int c = 0; c < d; c++) {
        row[c] = rnd.nextGaussian() / Math.sqrt(d);
      }
    }
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < d; c++) {
        x[i][c] = (float) (rnd.nextGaussian() + 0.5);
      }
      for (int k = 0; k < attributes; k++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += w[k][c] * x[i][c];
        }
        y[i][k] = (float) (1 / (1 + Math.exp(-s)) + 0.05 * rnd.nextGaussian());
      }
    }
    SplitAssigner split = new SplitAssigner(42, 0.2);
    Path file = work.resolve("ridge-" + rows + "x" + d + ".bin");
    write(file, x, y, split);
    System.out.printf(Locale.ROOT, "ridge %dx%d, %d targets, %d alphas (load average %s)%n", rows, d, attributes,
        RidgeTrainer.DEFAULT_ALPHAS.length, Machine.loadAverage());

    long t0 = System.nanoTime();
    RidgeDataset data = new RidgeDataset(d, attributes, split);
    for (int i = 0; i < rows; i++) {
      data.add("row-" + i, x[i], y[i]);
    }
    long t1 = System.nanoTime();
    RidgeFit fit = new RidgeTrainer().fit(data);
    double javaSeconds = (System.nanoTime() - t0) / 1e9;
    double[] javaAlphas = fit.perAttribute().stream().mapToDouble(RidgeFit.AttributeFit::alpha).toArray();
    System.out.printf(Locale.ROOT,
        "  java OpenBLAS       %8.2f s (rows into XᵀX %.2f s, alpha grid + refit %.2f s), chosen alphas %s%n",
        javaSeconds, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, Arrays.toString(javaAlphas));

    for (SklearnBlas blas : sklearnBlas) {
      benchSklearn(blas, file, alphas, javaSeconds);
    }
    System.out.printf(Locale.ROOT, "  load average at end %s%n", Machine.loadAverage());
    Files.deleteIfExists(file);
  }

  private void benchSklearn(SklearnBlas blas, Path file, String alphas, double javaSeconds)
      throws IOException, InterruptedException {
    String label = String.format(Locale.ROOT, "  sklearn %-11s", blas);
    for (String dir : blas.libraryDirs) {
      if (!Files.isDirectory(Path.of(dir))) {
        System.out.printf(Locale.ROOT, "%s skipped: %s not found (Debian: %s)%n", label, dir, blas.install);
        return;
      }
    }
    ProcessBuilder pb = new ProcessBuilder(python, script.toString(), file.toString(), alphas)
        .redirectErrorStream(true);
    if (!blas.libraryDirs.isEmpty()) {
      pb.environment().put("LD_LIBRARY_PATH", String.join(":", blas.libraryDirs));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      System.out.printf(Locale.ROOT, "%s skipped: cannot run %s (%s); scikit-learn needs Python 3 with "
          + "python3-sklearn (Debian)%n", label, python, e.getMessage());
      return;
    }
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p));
    if (!p.waitFor(sklearnTimeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      System.out.printf(Locale.ROOT, "%s did not finish within %d s (stopped)%n", label, sklearnTimeoutSeconds);
      return;
    }
    String[] lines = output.join().trim().split("\n");
    JsonNode sk = parseLastLine(lines);
    if (p.exitValue() != 0 || sk == null || !sk.has("seconds")) {
      String reason = sk != null && sk.has("error") ? sk.get("error").asText() : String.join(" | ", lines);
      System.out.printf(Locale.ROOT, "%s failed (exit %d): %s%n", label, p.exitValue(), reason);
      return;
    }
    double skSeconds = sk.get("seconds").asDouble();
    System.out.printf(Locale.ROOT, "%s %8.2f s, java/sklearn %.2fx, chosen alphas %s%n", label, skSeconds,
        javaSeconds / skSeconds, sk.get("chosen_alphas"));
    System.out.printf(Locale.ROOT, "      scikit-learn %s, numpy %s, Ridge solver %s, %d fits; BLAS %s %s%n",
        sk.get("sklearn").asText(), sk.get("numpy").asText(), sk.get("solver").asText(), sk.get("fits").asInt(),
        sk.get("blas").get("threadpools"), sk.get("blas").get("libraries"));
  }

  private static String readAll(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parseLastLine(String[] lines) {
    try {
      return new ObjectMapper().readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      return null;
    }
  }

  private static void write(Path file, float[][] x, double[][] y, SplitAssigner split) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      int n = x.length;
      int d = x[0].length;
      int k = y[0].length;
      ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(n).putInt(d).putInt(k);
      os.write(header.array());
      ByteBuffer row = ByteBuffer.allocate(4 * Math.max(d, k)).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] r : x) {
        row.clear();
        for (float v : r) {
          row.putFloat(v);
        }
        os.write(row.array(), 0, 4 * d);
      }
      for (double[] r : y) {
        row.clear();
        for (double v : r) {
          row.putFloat((float) v);
        }
        os.write(row.array(), 0, 4 * k);
      }
      DataOutputStream flags = new DataOutputStream(os);
      for (int i = 0; i < n; i++) {
        flags.writeByte(split.isValidation("row-" + i) ? 1 : 0);
      }
      flags.flush();
    }
  }

  private void benchGating(int d, int batch) {
    Random rnd = new Random(1);
    PairSet.Builder b = PairSet.builder();
    for (int i = 0; i < 2048; i++) {
      float[] prompt = new float[d];
      for (int c = 0; c < d; c++) {
        prompt[c] = (float) rnd.nextGaussian();
      }
      float[] rc = new float[attributes];
      float[] rr = new float[attributes];
      for (int k = 0; k < attributes; k++) {
        rc[k] = rnd.nextFloat();
        rr[k] = rnd.nextFloat();
      }
      b.add("p" + i, prompt, rc, rr, 1f);
    }
    GatingConfig config = GatingConfig.defaults().withSteps(gatingSteps, batch);
    GatingTrainer.Result r = new GatingTrainer(config).train(d, attributes, b.build(),
        VerbosityDebiaser.Transform.identity(attributes).matrix());
    System.out.printf(Locale.ROOT, "gating d=%d hidden=%d layers=%d batch=%d: %.2f steps/s (%.0f pairs/s)%n", d,
        config.hidden(), config.hiddenLayers(), batch, r.stepsPerSecond(), r.stepsPerSecond() * batch);
  }
}
