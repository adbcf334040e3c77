package io.queststream.trainer.publish;

import io.queststream.model.signing.HeadsSigner;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.WeightsContract;
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
  private RewardHeads candidate;

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
    candidate = publisher.candidate(modelName, READ_TIMEOUT).orElse(null);
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
  public synchronized Optional<RewardHeads> candidate() {
    committed();
    return Optional.ofNullable(candidate);
  }

  /**
   * Signs {@code heads} as a candidate (status candidate) and publishes it under the candidate key, replacing any
   * candidate there. Its version is the one after the latest serving version, the number it keeps when promoted.
   */
  @Override
  public synchronized RewardHeads publishCandidate(RewardHeads heads) {
    requireNext(heads.getVersion());
    RewardHeads signed = signer.sign(RewardHeads.newBuilder(heads).setStatus(WeightsContract.STATUS_CANDIDATE)
        .build());
    publisher.publishCandidate(signed);
    candidate = signed;
    return signed;
  }

  /**
   * Promotes the shadowed candidate: the same weights and version, signed again with status promoted, published as
   * serving together with a tombstone under the candidate key (one transaction). Returns the serving record.
   */
  public synchronized RewardHeads promoteCandidate(List<String> reasons) {
    RewardHeads c = candidate().orElseThrow(() -> new IllegalStateException("no candidate of " + modelName
        + " to promote"));
    requireNext(c.getVersion());
    RewardHeads serving = signer.sign(RewardHeads.newBuilder(c).setStatus(WeightsContract.STATUS_PROMOTED)
        .setSignatureKeyId(null).setSignature(null).build());
    publisher.promote(serving, reasons);
    committed.add(serving);
    candidate = null;
    return serving;
  }

  /** Discards the shadowed candidate: a tombstone under its key, with the reasons. Returns the discarded record. */
  public synchronized RewardHeads discardCandidate(List<String> reasons) {
    RewardHeads c = candidate().orElseThrow(() -> new IllegalStateException("no candidate of " + modelName
        + " to discard"));
    publisher.discard(c, reasons);
    candidate = null;
    return c;
  }

  private void requireNext(long version) {
    long latest = latest().map(RewardHeads::getVersion).orElse(0L);
    if (version != latest + 1) {
      throw new VersionConflictException(modelName, version, latest);
    }
  }

  @Override
  public void close() {
    publisher.close();
  }
}
