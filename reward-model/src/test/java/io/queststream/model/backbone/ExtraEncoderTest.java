package io.queststream.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.config.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each extra encoder loads from its Maven Central jar and embeds text meaningfully: 384-d unit vectors, and a
 * paraphrase lands nearer than an unrelated sentence. Runs only with {@code -Pextra-backbones}, which puts the jars
 * on the classpath.
 */
class ExtraEncoderTest {

  @TempDir
  static Path cache;

  @ParameterizedTest
  @EnumSource(ExtraEncoder.class)
  void loadsFromItsJarAndEmbedsAParaphraseNearerThanAnUnrelatedSentence(ExtraEncoder encoder) throws Exception {
    ModelConfig config = ModelConfig.defaults().withModel(encoder.configName()).withModelCacheDir(cache);
    try (RewardScorer scorer = RewardScorers.create(config)) {
      List<EmbeddedTurn> e = scorer.embed(List.of(
          sentence("a", "The cat is sleeping on the warm windowsill."),
          sentence("b", "A cat naps on a sunny window ledge."),
          sentence("c", "Quarterly bond yields rose after the central bank's announcement.")));

      assertThat(scorer.backbone().id()).isEqualTo(encoder.backboneId());
      assertThat(scorer.backbone().embeddingDim()).isEqualTo(384);
      assertThat(norm(e.get(0).responseEmbedding())).isCloseTo(1.0, within(1e-4));
      assertThat(norm(e.get(0).promptEmbedding())).isCloseTo(1.0, within(1e-4));
      assertThat(dot(e.get(0).responseEmbedding(), e.get(1).responseEmbedding()))
          .isGreaterThan(dot(e.get(0).responseEmbedding(), e.get(2).responseEmbedding()) + 0.05);
    }
  }

  private static ScoringRequest sentence(String id, String text) {
    return new ScoringRequest(id, null, List.of(), text);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static double norm(float[] a) {
    return Math.sqrt(dot(a, a));
  }
}
