package io.queststream.streams.support;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.RewardHeads;

/** The real MiniLM scorer, loaded once per test JVM and shared like one scorer is shared by a JVM's threads. */
public final class SharedMiniLm {

  public static final int DIM = 384;
  private static RewardScorer scorer;

  private SharedMiniLm() {}

  public static synchronized RewardScorer scorer() throws Exception {
    if (scorer == null) {
      scorer = RewardScorers.create(ModelConfig.defaults());
      Runtime.getRuntime().addShutdownHook(new Thread(scorer::close));
    }
    return scorer;
  }

  /** Untrained seeded heads for MiniLM, version v. */
  public static RewardHeads heads(long version) throws Exception {
    return TestHeads.of(scorer().backbone().id(), DIM, version, 100 + version);
  }
}
