package io.queststream.trainer.publish;

import io.queststream.model.signing.HeadsSigner;
import io.queststream.schemas.RewardHeads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The reward-weights topic as a {@link WeightsStore} for one model name; every version it publishes is signed with
 * the trainer's key, so scorers that trust the key install it. Opening it claims the publisher's
 * transactional id and only then reads the committed versions, so the next version number is derived from every
 * version a previous incarnation committed and none it left half-published. While the claim holds, no other trainer
 * can commit under this id, so the versions read stay the truth until this store publishes the next one.
 */
public final class KafkaWeightsStore implements WeightsStore, AutoCloseable {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final WeightsPublisher publisher;
  private final String modelName;
  private final HeadsSigner signer;
  private final List<RewardHeads> committed = new ArrayList<>();

  public KafkaWeightsStore(WeightsPublisher publisher, String modelName, HeadsSigner signer) {
    this.publisher = publisher;
    this.modelName = modelName;
    this.signer = signer;
    publisher.ensureTopic();
    refresh();
  }

  private void refresh() {
    publisher.claim();
    committed.clear();
    committed.addAll(publisher.readAll(modelName, READ_TIMEOUT));
    committed.sort(Comparator.comparingLong(RewardHeads::getVersion));
  }

  /** Every committed version of the model, oldest first, as read after the claim. */
  public synchronized List<RewardHeads> committed() {
    if (!publisher.claimed()) {
      refresh();
    }
    return List.copyOf(committed);
  }

  @Override
  public synchronized Optional<RewardHeads> latest() {
    List<RewardHeads> all = committed();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * Signs {@code heads} and publishes it if its version is the one after the latest committed version; a failed
   * attempt gives up the claim, and the next call claims again and re-reads the topic before it checks the number.
   */
  @Override
  public synchronized RewardHeads publish(RewardHeads heads) {
    long latest = latest().map(RewardHeads::getVersion).orElse(0L);
    if (heads.getVersion() != latest + 1) {
      throw new VersionConflictException(modelName, heads.getVersion(), latest);
    }
    RewardHeads signed = signer.sign(heads);
    publisher.publish(signed);
    committed.add(signed);
    return signed;
  }

  @Override
  public void close() {
    publisher.close();
  }
}
