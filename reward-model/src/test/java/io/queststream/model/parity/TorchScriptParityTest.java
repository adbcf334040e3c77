package io.queststream.model.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.config.DeviceSpec;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.export.ExportedHeads;
import io.queststream.model.export.ParityReference;
import io.queststream.model.export.ParityReport;
import io.queststream.model.heads.HeadsFiles;
import io.queststream.model.text.TokenizedTurn;
import io.queststream.model.text.TurnTokenizer;
import io.queststream.schemas.RewardHeads;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java pipeline (Jinjava template, DJL tokenizer, TorchScript backbone on libtorch, device heads) against the
 * PyTorch reference the fixture script computed for a tiny decoder transformer. Two of the fixture's turns carry
 * Jinja syntax and roleplay macros in the card and the messages: the reference writes the syntax verbatim (checked
 * against Jinja2 as transformers runs it) and substitutes the macros. One carries the model's control tokens in its
 * messages, which the reference encodes as ordinary text.
 */
class TorchScriptParityTest {

  private static final float TOLERANCE = 1e-5f;

  private static ParityReference fixture;
  private static RewardScorer scorer;

  @BeforeAll
  static void load() throws Exception {
    fixture = ParityReference.load(Path.of(TorchScriptParityTest.class.getResource("/parity/tiny-decoder").toURI()));
    scorer = RewardScorers.create(ModelConfig.torchScript(fixture.modelDir(), 256).withDevice(DeviceSpec.CPU));
    scorer.installWeights(ExportedHeads.read(fixture.modelDir()));
  }

  @AfterAll
  static void close() {
    scorer.close();
  }

  @Test
  void rendersAndTokenizesLikeTheReferenceWithPromptAndResponseBoundaries() throws Exception {
    ModelConfig config = ModelConfig.torchScript(fixture.modelDir(), 256);
    ModelFiles files = ModelFiles.resolve(config);
    try (TurnTokenizer tokenizer = TurnTokenizer.load(files.tokenizerJson(), files.tokenizerConfig(), 256, 256)) {
      for (ParityReference.Turn t : fixture.turns()) {
        TokenizedTurn turn = tokenizer.tokenize(t.request());
        assertThat(turn.ids()).as(t.request().turnId()).containsExactly(t.inputIds());
        assertThat(turn.contextEnd()).as(t.request().turnId()).isEqualTo(t.contextEnd());
        assertThat(turn.promptEnd()).as(t.request().turnId()).isEqualTo(t.promptEnd());
      }
    }
  }

  @Test
  void batchedScoresEqualThePyTorchReference() throws Exception {
    assertMatchesReference(scorer.score(fixture.requests()));
  }

  @Test
  void oneAtATimeScoresEqualThePyTorchReference() throws Exception {
    for (ParityReference.Turn t : fixture.turns()) {
      RewardResult r = scorer.score(List.of(t.request())).get(0);
      assertThat(r.batchSize()).isEqualTo(1);
      assertMatches(t, r);
    }
  }

  @Test
  void headsSurviveTheAvroRoundTripBitForBit(@TempDir Path dir) throws Exception {
    RewardHeads exported = ExportedHeads.read(fixture.modelDir());
    Path file = dir.resolve("heads.avro");

    HeadsFiles.write(exported, file);

    assertThat(HeadsFiles.read(file)).isEqualTo(exported);
  }

  @Test
  void parityReportFindsNoDifferenceAboveTolerance() throws Exception {
    ParityReport report = ParityReport.compare(fixture, scorer.score(fixture.requests()));

    assertThat(report.worst()).as(report.toString()).isLessThan(TOLERANCE);
    assertThat(report.turns()).isEqualTo(7);
  }

  private void assertMatchesReference(List<RewardResult> results) {
    assertThat(results).hasSameSizeAs(fixture.turns());
    for (int i = 0; i < results.size(); i++) {
      assertMatches(fixture.turns().get(i), results.get(i));
    }
  }

  private static void assertMatches(ParityReference.Turn t, RewardResult r) {
    String id = t.request().turnId();
    assertThat(r.turnId()).isEqualTo(id);
    assertThat(r.promptEmbedding()).as(id + " prompt embedding")
        .containsExactly(t.promptEmbedding(), within(TOLERANCE));
    assertThat(r.responseEmbedding()).as(id + " response embedding")
        .containsExactly(t.responseEmbedding(), within(TOLERANCE));
    List<AttributeReward> a = r.attributes();
    for (int k = 0; k < a.size(); k++) {
      assertThat(a.get(k).reward()).as(id + " reward " + k).isCloseTo(t.rewards()[k], within(TOLERANCE));
      assertThat(a.get(k).gating()).as(id + " gating " + k).isCloseTo(t.gating()[k], within(TOLERANCE));
      assertThat(a.get(k).coefficient()).as(id + " coefficient " + k)
          .isCloseTo(t.coefficients()[k], within(TOLERANCE));
    }
    assertThat(r.score()).as(id + " score").isCloseTo(t.score(), within(TOLERANCE));
    assertThat(r.backboneId()).isEqualTo("quest-stream/tiny-decoder-parity");
    assertThat(r.promptTokens()).isEqualTo(t.promptEnd());
    assertThat(r.responseTokens()).isEqualTo(t.inputIds().length - t.promptEnd());
  }
}
