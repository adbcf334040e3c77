package io.queststream.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.TextEmbeddingTranslatorFactory;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
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
  private static ZooModel<NDList, NDList> plain;

  @BeforeAll
  static void load() throws Exception {
    files = ModelFiles.resolve(ModelConfig.defaults());
    plain = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(files.modelFile())
        .optEngine("OnnxRuntime").optTranslator(new NoopTranslator()).build().loadModel();
  }

  @AfterAll
  static void close() {
    plain.close();
  }

  /** Hidden states [T, 384] of one unpadded sequence, straight from ONNX Runtime. */
  private static float[][] hiddenStates(long[] ids) throws Exception {
    try (Predictor<NDList, NDList> predictor = plain.newPredictor(); NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(1, ids.length);
      NDArray input = m.create(ids, shape);
      input.setName("input_ids");
      NDArray mask = m.ones(shape, DataType.INT64);
      mask.setName("attention_mask");
      NDArray types = m.zeros(shape, DataType.INT64);
      types.setName("token_type_ids");
      float[] flat = predictor.predict(new NDList(input, mask, types)).get(0).toFloatArray();
      int dim = flat.length / ids.length;
      float[][] rows = new float[ids.length][dim];
      for (int t = 0; t < ids.length; t++) {
        System.arraycopy(flat, t * dim, rows[t], 0, dim);
      }
      return rows;
    }
  }

  private static float[] mean(float[][] rows, int from, int to) {
    float[] out = new float[rows[0].length];
    for (int d = 0; d < out.length; d++) {
      double s = 0;
      for (int t = from; t < to; t++) {
        s += rows[t][d];
      }
      out[d] = (float) (s / (to - from));
    }
    return out;
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
