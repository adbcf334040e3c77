package io.queststream.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.text.TurnTokenizer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ONNX Runtime's spin-waiting is a scheduling choice: it reaches the engine and changes no number. */
class SpinWaitTest {

  @Test
  void givenSpinWaitOnOrOff_thenTheEngineReportsItAndTheEmbeddingsAreTheSame() throws Exception {
    ModelConfig config = ModelConfig.defaults();
    ModelFiles files = ModelFiles.resolve(config);
    ScoringRequest request = new ScoringRequest("t", new CharacterProfile("m", "Mira", "A mechanic.", "A dead engine."),
        List.of(new ChatMessage("user", "Can you fix it?")), "Hand me the hydrospanner, and keep the lamp steady.");
    PreparedTurn turn;
    try (TurnTokenizer tokenizer = TurnTokenizer.load(files.tokenizerJson(), Optional.empty(), 384, 512)) {
      turn = new TurnWindows(files.backboneId(), config.maxSequenceTokens(), config.text().windowOverlap(),
          config.text().maxWindows(), config.pooling()).plan(tokenizer.tokenize(request));
    }

    float[][] sleeping = embed(config.withThreads(new EngineThreads(2, 1, false)), files, turn, "spin-wait off");
    float[][] spinning = embed(config.withThreads(new EngineThreads(2, 1, true)), files, turn, "spin-wait on");

    assertThat(spinning[0]).containsExactly(sleeping[0], within(1e-6f));
    assertThat(spinning[1]).containsExactly(sleeping[1], within(1e-6f));
  }

  private static float[][] embed(ModelConfig config, ModelFiles files, PreparedTurn turn, String reported)
      throws Exception {
    try (DjlBackbone backbone = DjlBackbone.load(config, files); NDManager batch = backbone.newBatchManager()) {
      assertThat(backbone.engines()).contains("OnnxRuntime").contains("(intra-op 2, inter-op 1, " + reported + ")");
      PooledBatch pooled = backbone.forward(List.of(turn), 512, batch);
      return new float[][] {pooled.prompt().toFloatArray(), pooled.response().toFloatArray()};
    }
  }
}
