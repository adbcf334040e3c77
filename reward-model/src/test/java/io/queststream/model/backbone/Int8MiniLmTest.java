package io.queststream.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The int8 encoder loads from its own jar and embeds turns the way the fp32 one does, up to quantization noise. */
class Int8MiniLmTest {

  private static final List<ScoringRequest> TURNS = List.of(
      new ScoringRequest("t1", new CharacterProfile("m", "Mira", "A mechanic.", "A dead engine."),
          List.of(new ChatMessage("user", "Can you fix it?")), "Hand me the hydrospanner."),
      new ScoringRequest("t2", null, List.of(new ChatMessage("user", "Tell me about the inn.")),
          "The inn has stood by the river for three hundred years; travellers swear the stew is older."));

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void int8EmbeddingsPointWhereTheFp32OnesDo() throws Exception {
    List<EmbeddedTurn> fp32;
    List<EmbeddedTurn> int8;
    String int8Id;
    try (RewardScorer scorer = RewardScorers.create(ModelConfig.defaults())) {
      fp32 = scorer.embed(TURNS);
    }
    try (RewardScorer scorer = RewardScorers.create(ModelConfig.bundled(BundledBackbone.MINILM_Q))) {
      int8 = scorer.embed(TURNS);
      int8Id = scorer.backbone().id();
      assertThat(scorer.backbone().embeddingDim()).isEqualTo(384);
    }

    assertThat(int8Id).isEqualTo(BundledBackbone.MINILM_Q.backboneId());
    for (int i = 0; i < TURNS.size(); i++) {
      assertThat(int8.get(i).responseTokens()).isEqualTo(fp32.get(i).responseTokens());
      assertThat(int8.get(i).responseEmbedding()).isNotEqualTo(fp32.get(i).responseEmbedding());
      assertThat(cosine(int8.get(i).responseEmbedding(), fp32.get(i).responseEmbedding())).isGreaterThan(0.95);
      assertThat(cosine(int8.get(i).promptEmbedding(), fp32.get(i).promptEmbedding())).isGreaterThan(0.95);
    }
  }
}
