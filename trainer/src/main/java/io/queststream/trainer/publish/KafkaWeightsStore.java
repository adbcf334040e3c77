package io.queststream.trainer.publish;

import io.queststream.schemas.RewardHeads;
import java.time.Duration;
import java.util.Optional;

/** The reward-weights topic as a {@link WeightsStore} for one model name. */
public final class KafkaWeightsStore implements WeightsStore, AutoCloseable {

  private final WeightsPublisher publisher;
  private final String modelName;

  public KafkaWeightsStore(WeightsPublisher publisher, String modelName) {
    this.publisher = publisher;
    this.modelName = modelName;
    publisher.ensureTopic();
  }

  @Override
  public Optional<RewardHeads> latest() {
    return publisher.latest(modelName, Duration.ofSeconds(30));
  }

  @Override
  public void publish(RewardHeads heads) {
    publisher.publish(heads);
  }

  @Override
  public void close() {
    publisher.close();
  }
}
