package io.queststream.model.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.queststream.schemas.weights.RandomHeads;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeviceHeadsTest {

  @Test
  void batchedDeviceForwardEqualsTheReferenceMathRowByRow() throws Exception {
    int dim = 48;
    int batch = 5;
    HeadsWeights weights = HeadsWeights.decode(RandomHeads.of("b", "mean", dim, 1, 99), dim);
    Random rnd = new Random(3);
    float[] prompts = new float[batch * dim];
    float[] responses = new float[batch * dim];
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = (float) rnd.nextGaussian();
      responses[i] = (float) rnd.nextGaussian();
    }

    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        DeviceHeads heads = new DeviceHeads(weights, manager)) {
      NDArray p = manager.create(prompts, new Shape(batch, dim));
      NDArray r = manager.create(responses, new Shape(batch, dim));

      DeviceHeads.Batch out = heads.forward(p, r);

      for (int b = 0; b < batch; b++) {
        float[] prompt = Arrays.copyOfRange(prompts, b * dim, (b + 1) * dim);
        float[] response = Arrays.copyOfRange(responses, b * dim, (b + 1) * dim);
        HeadsMath.Output expected = HeadsMath.forward(weights, prompt, response);
        assertThat(out.rewards()[b]).containsExactly(expected.rewards(), within(1e-5f));
        assertThat(out.gating()[b]).containsExactly(expected.gating(), within(1e-6f));
        assertThat(out.coefficients()[b]).containsExactly(expected.coefficients(), within(1e-6f));
        assertThat(out.scores()[b]).isCloseTo(expected.score(), within(1e-5f));
      }
      float gatingSum = 0;
      for (float g : out.gating()[0]) {
        gatingSum += g;
      }
      assertThat(gatingSum).as("softmax over objectives times beta").isCloseTo(weights.logitScale(), within(1e-5f));
    }
  }
}
