package io.queststream.trainer.gating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.queststream.trainer.support.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GatingTrainerTest {

  @Test
  void replaysPyTorchTrainingStepForStep() {
    // given the initial network, data and batches of trainer/tools/gating_reference.py (dropout 0)
    JsonNode ref = Reference.load("gating.json");
    GatingNetwork net = network(ref.get("init"), (float) ref.get("tau").asDouble(), 1f);
    PairSet pairs = pairs(ref);
    float[] t = flatten(ref.get("transform"));
    int steps = ref.get("steps").asInt();
    GatingConfig config = new GatingConfig(ref.get("hidden").asInt(), ref.get("hidden_layers").asInt(), 0.0,
        (float) ref.get("tau").asDouble(), 1f, steps, 5, ref.get("lr").asDouble(), ref.get("weight_decay").asDouble(),
        1L);

    // when
    GatingTrainer.Result result = new GatingTrainer(config).train(net, pairs, t,
        step -> intArray(ref.get("batches").get(step)));

    // then
    assertThat(result.lossCurve()).containsExactly(Reference.doubles(ref.get("losses")), within(2e-5));
    assertThat(net.beta()).isCloseTo((float) ref.get("final_beta").asDouble(), within(1e-4f));
    for (int l = 0; l < net.layers().size(); l++) {
      JsonNode fin = ref.get("final").get(l);
      assertThat(net.layers().get(l).weight()).containsExactly(flatten(fin.get("weight")), within(1e-4f));
      assertThat(net.layers().get(l).bias()).containsExactly(Reference.floats(fin.get("bias")), within(1e-4f));
    }
  }

  @Test
  void analyticGradientMatchesFiniteDifferences() {
    // given a small random network and pairs with distinct prompts on each side, a non-trivial T, no dropout
    GatingConfig config = new GatingConfig(5, 2, 0.0, 2f, 1.3f, 1, 4, 1e-3, 0.0, 11L);
    GatingNetwork net = GatingNetwork.initialised(4, 3, config);
    Random rnd = new Random(5);
    PairSet.Builder b = PairSet.builder();
    for (int i = 0; i < 6; i++) {
      b.add("c" + i, gaussian(rnd, 4), scaled(gaussian(rnd, 3), 4), "r" + (i % 2), gaussian(rnd, 4),
          scaled(gaussian(rnd, 3), 4),
          0.5f + i);
    }
    PairSet pairs = b.build();
    float[] t = {1, -0.3f, 0, 0, 1, 0.2f, 0.1f, 0, 1};
    BradleyTerryObjective objective = new BradleyTerryObjective(3, t);
    int[] batch = {0, 1, 2, 3, 4, 5, 2};

    // when
    net.zeroGrad();
    objective.lossAndGradient(net, pairs, batch, 0, null);

    // then every parameter's gradient agrees with a central difference
    double h = 1e-3;
    for (DenseParams p : net.layers()) {
      for (float[][] pg : List.of(new float[][] {p.weight(), p.weightGrad()}, new float[][] {p.bias(), p.biasGrad()})) {
        for (int i = 0; i < pg[0].length; i++) {
          float saved = pg[0][i];
          pg[0][i] = (float) (saved + h);
          double up = loss(objective, net, pairs, batch);
          pg[0][i] = (float) (saved - h);
          double down = loss(objective, net, pairs, batch);
          pg[0][i] = saved;
          double numeric = (up - down) / (2 * h);
          assertThat((double) pg[1][i]).as("gradient %d", i)
              .isCloseTo(numeric, within(2e-5 + 0.05 * Math.abs(numeric)));
        }
      }
    }
    float beta = net.beta();
    net.setBeta((float) (beta + h));
    double up = loss(objective, net, pairs, batch);
    net.setBeta((float) (beta - h));
    double down = loss(objective, net, pairs, batch);
    net.setBeta(beta);
    assertThat((double) net.betaGrad()).isCloseTo((up - down) / (2 * h), within(1e-4));
  }

  private static double loss(BradleyTerryObjective o, GatingNetwork net, PairSet pairs, int[] batch) {
    GatingNetwork probe = net.copy();
    probe.zeroGrad();
    return o.lossAndGradient(probe, pairs, batch, 0, null);
  }

  private static float[] scaled(float[] v, float f) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= f;
    }
    return v;
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  static GatingNetwork network(JsonNode layers, float tau, float beta) {
    List<DenseParams> ps = new ArrayList<>();
    for (JsonNode l : layers) {
      float[] w = flatten(l.get("weight"));
      float[] b = Reference.floats(l.get("bias"));
      ps.add(new DenseParams(w.length / b.length, b.length, w, b));
    }
    return new GatingNetwork(ps, tau, beta);
  }

  private static PairSet pairs(JsonNode ref) {
    PairSet.Builder b = PairSet.builder();
    for (int i = 0; i < ref.get("weights").size(); i++) {
      int cp = ref.get("chosen_prompt").get(i).asInt();
      int rp = ref.get("rejected_prompt").get(i).asInt();
      b.add("p" + cp, Reference.floats(ref.get("prompts").get(cp)), Reference.floats(ref.get("chosen_rewards").get(i)),
          "p" + rp, Reference.floats(ref.get("prompts").get(rp)), Reference.floats(ref.get("rejected_rewards").get(i)),
          (float) ref.get("weights").get(i).asDouble());
    }
    return b.build();
  }

  static float[] flatten(JsonNode rows) {
    int r = rows.size();
    int c = rows.get(0).size();
    float[] m = new float[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        m[i * c + j] = (float) rows.get(i).get(j).asDouble();
      }
    }
    return m;
  }

  private static int[] intArray(JsonNode a) {
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asInt();
    }
    return v;
  }
}
