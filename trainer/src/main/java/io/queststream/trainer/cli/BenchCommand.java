package io.queststream.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.gating.GatingTrainer;
import io.queststream.trainer.gating.PairSet;
import io.queststream.trainer.ridge.RidgeDataset;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.ridge.RidgeTrainer;
import io.queststream.trainer.ridge.SplitAssigner;
import io.queststream.trainer.transform.VerbosityDebiaser;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Stage-1 fit time against scikit-learn's Ridge on the same matrices with the same alphas and split (the matrix is
 * written to a file the Python script reads), and stage-2 training steps per second.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time stage 1 against scikit-learn Ridge (runs --python with trainer/tools/bench_sklearn.py on the "
        + "same matrix) and stage-2 gating steps/s.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--rows", defaultValue = "20000")
  int rows;

  @Option(names = "--dims", split = ",", defaultValue = "384,4096")
  List<Integer> dims;

  @Option(names = "--attributes", defaultValue = "6")
  int attributes;

  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with scikit-learn")
  String python;

  @Option(names = "--script", defaultValue = "trainer/tools/bench_sklearn.py")
  Path script;

  @Option(names = "--work", defaultValue = "target/bench", description = "Where the matrix files go")
  Path work;

  @Option(names = "--gating-steps", defaultValue = "10")
  int gatingSteps;

  @Option(names = "--gating-batches", split = ",", defaultValue = "64,1024")
  List<Integer> gatingBatches;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    System.out.printf(Locale.ROOT, "cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
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

    long t0 = System.nanoTime();
    RidgeDataset data = new RidgeDataset(d, attributes, split);
    for (int i = 0; i < rows; i++) {
      data.add("row-" + i, x[i], y[i]);
    }
    RidgeFit fit = new RidgeTrainer().fit(data);
    double javaSeconds = (System.nanoTime() - t0) / 1e9;
    double[] javaAlphas = fit.perAttribute().stream().mapToDouble(RidgeFit.AttributeFit::alpha).toArray();

    Process p = new ProcessBuilder(python, script.toString(), file.toString(), alphas).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int rc = p.waitFor();
    String[] lines = out.split("\n");
    if (rc != 0) {
      System.out.printf(Locale.ROOT, "ridge %dx%d: java %.2f s; scikit-learn failed (exit %d): %s%n", rows, d,
          javaSeconds, rc, out);
      return;
    }
    JsonNode sk = new ObjectMapper().readTree(lines[lines.length - 1]);
    double skSeconds = sk.get("seconds").asDouble();
    System.out.printf(Locale.ROOT,
        "ridge %dx%d, %d targets, %d alphas: java %.2f s (incl. XᵀX), scikit-learn %s %.2f s, ratio %.2fx; "
            + "chosen alphas java %s sklearn %s%n",
        rows, d, attributes, RidgeTrainer.DEFAULT_ALPHAS.length, javaSeconds, sk.get("sklearn").asText(), skSeconds,
        javaSeconds / skSeconds, Arrays.toString(javaAlphas), sk.get("chosen_alphas"));
    Files.deleteIfExists(file);
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
