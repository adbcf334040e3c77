package io.queststream.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.TextEmbeddingTranslatorFactory;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.text.TokenizedTurn;
import io.queststream.model.text.TurnTokenizer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX path on the real MiniLM against independent computations: the same ids through a plain DJL predictor
 * with the pooling done by hand, and that hand pooling against DJL's sentence-embedding translator.
 */
class MiniLmPoolingTest {

  private static ModelFiles files;
  private static PlainMiniLm plain;

  @BeforeAll
  static void load() throws Exception {
    files = ModelFiles.resolve(ModelConfig.defaults());
    plain = new PlainMiniLm(files.modelFile());
  }

  @AfterAll
  static void close() {
    plain.close();
  }

  private static float[][] hiddenStates(long[] ids) throws Exception {
    return plain.hiddenStates(ids);
  }

  private static float[] mean(float[][] rows, int from, int to) {
    return PlainMiniLm.mean(rows, from, to);
  }

  @Test
  void spanEmbeddingsAreMeansOfTheSpansHiddenStates() throws Exception {
    ScoringRequest request = new ScoringRequest("t", new CharacterProfile("m", "Mira", "A mechanic.", "A dead engine."),
        List.of(new ChatMessage("user", "Can you fix it?")), "Hand me the hydrospanner.");
    TokenizedTurn turn;
    try (TurnTokenizer tokenizer = TurnTokenizer.load(files.tokenizerJson(), Optional.empty(), 384, 512)) {
      turn = tokenizer.tokenize(request);
    }
    EmbeddedTurn embedded;
    try (RewardScorer scorer = RewardScorers.create(ModelConfig.defaults())) {
      embedded = scorer.embed(List.of(request, new ScoringRequest("longer", null, List.of(),
          "a much longer neighbour in the same batch forces padding ".repeat(6)))).get(0);
    }

    float[][] hidden = hiddenStates(turn.ids());

    assertThat(embedded.promptEmbedding()).containsExactly(mean(hidden, 0, turn.contextEnd()), within(1e-5f));
    assertThat(embedded.responseEmbedding())
        .containsExactly(mean(hidden, turn.promptEnd(), turn.length()), within(1e-5f));
  }

  @Test
  void handPoolingAgreesWithDjlSentenceEmbeddings() throws Exception {
    String text = "The engine died near the nebula, and Mira swore at it.";
    Criteria<String, float[]> sentence = Criteria.builder().setTypes(String.class, float[].class)
        .optModelPath(files.modelFile().getParent()).optModelName("model").optEngine("OnnxRuntime")
        .optTranslatorFactory(new TextEmbeddingTranslatorFactory())
        .optArgument("pooling", "mean").optArgument("normalize", "false").optArgument("includeTokenTypes", "true")
        .build();
    float[] djl;
    try (ZooModel<String, float[]> model = sentence.loadModel(); Predictor<String, float[]> p = model.newPredictor()) {
      djl = p.predict(text);
    }
    long[] ids;
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(files.tokenizerJson(),
        Map.of("padding", "false", "truncation", "false"))) {
      ids = tokenizer.encode(text).getIds();
    }

    float[][] hidden = hiddenStates(ids);

    assertThat(mean(hidden, 0, ids.length)).containsExactly(djl, within(1e-5f));
  }
}
