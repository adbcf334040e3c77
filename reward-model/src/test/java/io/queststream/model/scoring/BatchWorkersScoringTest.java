package io.queststream.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.RandomHeads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two batcher workers run forward passes of one backbone side by side: every turn must score as it does with one
 * worker, whichever worker and batch it lands in.
 */
class BatchWorkersScoringTest {

  private static final String[] REPLIES = {
      "Twenty minutes, if the nebula stops sneezing static into my wiring.",
      "Dunno.",
      "*wipes grease on her sleeve* The coupling's cracked. Again. Hold the light steady, touch nothing blue.",
      "It'll take as long as it takes, captain. Go make yourself useful and fetch the spare regulator from the hold.",
      "Fine. Five minutes. Maybe six if you keep asking.",
      "*laughs* You think I can fix a fusion core with a hydrospanner and good intentions? Watch me."};

  @Test
  void givenTwoWorkersOfOneThread_whenManyCallersScore_thenEveryTurnScoresAsWithOneWorker() throws Exception {
    RewardHeads heads = RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 7, 42);
    List<ScoringRequest> requests = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      requests.add(MiniLmScorerTest.request("t" + i, REPLIES[i % REPLIES.length] + " (" + i + ")"));
    }
    ModelConfig one = ModelConfig.defaults();
    ModelConfig two = one.withBatcher(one.batcher().withWorkers(2)).withThreads(new EngineThreads(1, 1));

    Map<String, RewardResult> alone = new HashMap<>();
    try (RewardScorer scorer = RewardScorers.create(one)) {
      scorer.installWeights(heads);
      scorer.score(requests).forEach(r -> alone.put(r.turnId(), r));
    }
    Map<String, RewardResult> sideBySide = new HashMap<>();
    try (RewardScorer scorer = RewardScorers.create(two)) {
      scorer.installWeights(heads);
      ExecutorService callers = Executors.newFixedThreadPool(6);
      List<Future<List<RewardResult>>> calls = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        List<ScoringRequest> mine = requests.subList(c * 4, c * 4 + 4);
        calls.add(callers.submit(() -> scorer.score(mine)));
      }
      for (Future<List<RewardResult>> call : calls) {
        call.get(120, TimeUnit.SECONDS).forEach(r -> sideBySide.put(r.turnId(), r));
      }
      callers.shutdown();
    }

    assertThat(sideBySide.keySet()).isEqualTo(alone.keySet()).hasSize(24);
    for (String id : alone.keySet()) {
      RewardResult a = alone.get(id);
      RewardResult b = sideBySide.get(id);
      assertThat(b.score()).as(id).isCloseTo(a.score(), within(1e-4f));
      for (int k = 0; k < a.attributes().size(); k++) {
        assertThat(b.attributes().get(k).reward()).as(id).isCloseTo(a.attributes().get(k).reward(), within(1e-4f));
      }
    }
  }
}
