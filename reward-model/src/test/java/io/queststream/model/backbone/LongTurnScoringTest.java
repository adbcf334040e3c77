package io.queststream.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.Truncation;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.Pooling;
import io.queststream.model.text.TokenizedTurn;
import io.queststream.model.text.TurnTokenizer;
import io.queststream.schemas.weights.RandomHeads;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Turns longer than MiniLM's 512 positions on the real model: every one gets a score, says what was cut, and a long
 * reply's embedding is the mean over its windows as documented, checked against a computation by hand on a plain
 * ONNX predictor.
 */
class LongTurnScoringTest {

  private static final long CLS = 101;
  private static final long SEP = 102;
  private static final int WINDOW_BODY = 512 - 2;
  private static final int OVERLAP = 64;
  private static final String SENTENCE = "Mira checks the coolant pump and swears at the nebula again. ";
  private static final CharacterProfile MIRA =
      new CharacterProfile("mira", "Mira", "A sardonic starship mechanic.", "The engine died near a nebula.");
  private static final List<ChatMessage> HISTORY = List.of(new ChatMessage("user", "Tell me what you are doing."));

  private static ModelFiles files;
  private static RewardScorer scorer;
  private static TurnTokenizer tokenizer;
  private static PlainMiniLm plain;

  @BeforeAll
  static void load() throws Exception {
    ModelConfig config = ModelConfig.defaults();
    files = ModelFiles.resolve(config);
    scorer = RewardScorers.create(config);
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 1, 7));
    tokenizer = TurnTokenizer.load(files.tokenizerJson(), Optional.empty(), config.contextBudget(),
        config.maxSequenceTokens());
    plain = new PlainMiniLm(files.modelFile());
  }

  @AfterAll
  static void close() {
    plain.close();
    tokenizer.close();
    scorer.close();
  }

  @Test
  void aLongCardAndReplyAreScoredWithHistoryDroppedTheCardShortenedAndTheReplyInWindows() throws Exception {
    CharacterProfile longCard = new CharacterProfile("mira", "Mira", "mechanic ".repeat(450).trim(),
        "nebula ".repeat(100).trim());
    ScoringRequest request = new ScoringRequest("long-card", longCard, HISTORY, SENTENCE.repeat(25));

    RewardResult result = scorer.score(List.of(request)).get(0);
    PreparedTurn prepared = scorer.prepare(request);

    assertThat(result.truncation()).containsExactly(Truncation.HISTORY_DROPPED, Truncation.CARD_SHORTENED,
        Truncation.REPLY_CHUNKED);
    assertThat(Float.isFinite(result.score())).isTrue();
    assertThat(prepared.windows()).hasSize(2);
    assertThat(prepared.windows()).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(512));
    assertThat(scorer.tokenCount(request)).isEqualTo(prepared.windows().get(0).length()
        + prepared.windows().get(1).length());
  }

  @Test
  void aReplyThatFitsNoWindowWithItsCardKeepsTheHistoryThatFitsTheContextBudget() throws Exception {
    ScoringRequest request = new ScoringRequest("long-reply", MIRA, HISTORY, SENTENCE.repeat(40));

    RewardResult result = scorer.score(List.of(request)).get(0);

    assertThat(result.truncation()).containsExactly(Truncation.REPLY_CHUNKED);
    assertThat(result.responseTokens()).isEqualTo(tokenizer.tokenize(request).responseTokens());
  }

  @Test
  void aThreeWindowReplyIsTheMeanOfItsTokensEachCountedOnceInTheWindowWhereItIsNearerTheMiddle() throws Exception {
    ScoringRequest request = new ScoringRequest("three", MIRA, HISTORY, SENTENCE.repeat(80));
    TokenizedTurn turn = tokenizer.tokenize(request);
    long[] ids = turn.ids();
    int bodyEnd = ids.length - 1;
    int[] from = {1, 1 + WINDOW_BODY - OVERLAP, 1 + 2 * (WINDOW_BODY - OVERLAP)};
    int[] to = {from[0] + WINDOW_BODY, from[1] + WINDOW_BODY, bodyEnd};
    assertThat(bodyEnd).as("three windows").isGreaterThan(to[1]).isLessThanOrEqualTo(from[2] + WINDOW_BODY);
    int[] countFrom = {turn.promptEnd(), from[1] + OVERLAP / 2, from[2] + OVERLAP / 2};
    int[] countTo = {countFrom[1], countFrom[2], bodyEnd};

    EmbeddedTurn embedded = scorer.embed(List.of(request)).get(0);

    double[] sum = new double[384];
    float[] prompt = null;
    for (int w = 0; w < 3; w++) {
      float[][] hidden = plain.hiddenStates(window(ids, from[w], to[w]));
      for (int b = countFrom[w]; b < countTo[w]; b++) {
        add(sum, hidden[1 + b - from[w]]);
      }
      if (w == 0) {
        prompt = PlainMiniLm.mean(hidden, 0, turn.contextEnd());
      }
      if (w == 2) {
        add(sum, hidden[hidden.length - 1]);
      }
    }
    int counted = bodyEnd - turn.promptEnd() + 1;
    float[] response = new float[384];
    for (int d = 0; d < 384; d++) {
      response[d] = (float) (sum[d] / counted);
    }
    assertThat(embedded.truncation()).containsExactly(Truncation.REPLY_CHUNKED);
    assertThat(embedded.promptEmbedding()).containsExactly(prompt, within(1e-5f));
    assertThat(embedded.responseEmbedding()).containsExactly(response, within(1e-5f));
    assertThat(embedded.responseTokens()).isEqualTo(counted);
  }

  @Test
  void theWindowBoundCutsTheEndOfTheReplyKeepingItsClosingToken() {
    ScoringRequest request = new ScoringRequest("huge", MIRA, HISTORY, SENTENCE.repeat(100));
    TokenizedTurn turn = tokenizer.tokenize(request);
    TurnWindows twoWindows = new TurnWindows("minilm", 512, OVERLAP, 2, Pooling.MEAN);

    PreparedTurn prepared = twoWindows.plan(turn);

    assertThat(prepared.truncation()).containsExactly(Truncation.REPLY_CHUNKED, Truncation.REPLY_CUT);
    assertThat(prepared.windows()).hasSize(2);
    TokenWindow last = prepared.windows().get(1);
    assertThat(last.length()).isEqualTo(512);
    assertThat(last.ids()[last.length() - 1]).isEqualTo(SEP);
    assertThat(last.responseTo()).isEqualTo(512);
    long[] kept = Arrays.copyOfRange(last.ids(), 1, 511);
    int keptFrom = 1 + WINDOW_BODY - OVERLAP;
    assertThat(kept).as("the reply's text up to the bound, read in order")
        .containsExactly(Arrays.copyOfRange(turn.ids(), keptFrom, keptFrom + WINDOW_BODY));
    assertThat(prepared.responseTokens()).isEqualTo(2 * WINDOW_BODY - OVERLAP + 1 - (turn.promptEnd() - 1));
    assertThat(prepared.replyTextTokens()).isEqualTo(turn.replyTextTokens());
  }

  private static long[] window(long[] ids, int from, int to) {
    long[] w = new long[to - from + 2];
    w[0] = CLS;
    System.arraycopy(ids, from, w, 1, to - from);
    w[w.length - 1] = SEP;
    return w;
  }

  private static void add(double[] sum, float[] row) {
    for (int d = 0; d < sum.length; d++) {
      sum[d] += row[d];
    }
  }
}
