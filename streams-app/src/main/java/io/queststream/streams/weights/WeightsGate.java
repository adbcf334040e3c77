package io.queststream.streams.weights;

import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.WeightsVersion;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.model.heads.WeightsCanary;
import io.queststream.model.signing.TrustedKeys;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.streams.config.WeightsConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way weights reach the scorer. A record is installed when, in this order: it is for this app's model (key
 * and model_name), it is signed by a trusted key over its whole content, its version is newer than the running one,
 * it is for the running backbone, every value is finite and within bounds, its attributes are the app's, and its
 * heads score the built-in canary turns with finite, bounded, non-constant scores. Anything else is rejected with
 * the check it failed (logged, counted by reason, reported to the listener) and the running version stays.
 *
 * <p>A candidate version (docs/shadow.md) comes the same way under the model's candidate key and passes the same
 * checks, except that it must be newer than the serving version rather than the running candidate; installed, it
 * scores every batch alongside the serving heads and decides nothing. A record's status must match its key: a
 * candidate never serves before it is published again as a promoted version, and a serving record cannot be slipped
 * in as a candidate. A tombstone under the candidate key withdraws the candidate (discarded or promoted), and so
 * does a serving version at least as new as the candidate.
 */
public final class WeightsGate {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsGate.class);

  /** What became of an offered record. */
  public enum Outcome { INSTALLED, ALREADY_RUNNING, REJECTED }

  /** Which heads a record is offered as. */
  public enum Role {
    SERVING, CANDIDATE;

    /** What its log lines and rejection messages call a record offered in this role. */
    String noun() {
      return this == SERVING ? "weights" : "candidate weights";
    }
  }

  /** Where an offered record was read from, for the rejection report; null fields when it came from a file. */
  public record Source(String topic, int partition, long offset) {
    public static final Source NONE = new Source(null, -1, -1);
  }

  private final String modelName;
  private final List<String> attributes;
  private final TrustedKeys keys;
  private final RewardScorer scorer;
  private final ScoringMetrics metrics;
  private final WeightsRejectionListener rejections;
  private WeightsCanary canary;

  public WeightsGate(WeightsConfig config, TrustedKeys keys, RewardScorer scorer, ScoringMetrics metrics,
      WeightsRejectionListener rejections) {
    this.modelName = config.modelName();
    this.attributes = config.attributes();
    this.keys = keys;
    this.scorer = scorer;
    this.metrics = metrics;
    this.rejections = rejections;
  }

  public TrustedKeys trustedKeys() {
    return keys;
  }

  /** Embeds the canary turns with the running backbone, once; later calls return at once. */
  public synchronized void prepareCanary() {
    if (canary != null) {
      return;
    }
    try {
      canary = WeightsCanary.of(scorer.embed(WeightsCanary.turns()));
    } catch (ScoringException e) {
      throw new IllegalStateException("the backbone could not embed the weights canary turns: " + e.getMessage(), e);
    }
  }

  /** The role of a record read under {@code key}: the candidate key's records are candidates, any other serves. */
  public Role roleOf(String key) {
    return WeightsContract.isCandidateKey(key) ? Role.CANDIDATE : Role.SERVING;
  }

  /** Verifies the serving record read from {@code source} under {@code key}; installs it if it passes every check. */
  public synchronized Outcome offer(String key, RewardHeads heads, Source source) {
    return offer(Role.SERVING, key, heads, source);
  }

  /**
   * Verifies the record read from {@code source} under {@code key} in its role and installs it, as the serving heads
   * or as the candidate shadowed alongside them, if it passes every check.
   */
  public synchronized Outcome offer(Role role, String key, RewardHeads heads, Source source) {
    try {
      if (verify(role, key, heads)) {
        LOG.debug("{} {} v{} are already running", role.noun(), heads.getModelName(), heads.getVersion());
        return Outcome.ALREADY_RUNNING;
      }
      if (role == Role.CANDIDATE) {
        WeightsVersion v = scorer.installCandidate(heads);
        metrics.candidateInstalled(v.version());
        LOG.info("Shadowing candidate weights {} v{} alongside the serving v{}, signed by key {}", v.modelName(),
            v.version(), scorer.currentWeights().map(WeightsVersion::version).orElse(0L), heads.getSignatureKeyId());
        return Outcome.INSTALLED;
      }
      WeightsVersion v = scorer.installWeights(heads);
      metrics.weightsInstalled(v);
      LOG.info("Installed reward weights {} v{} for backbone {}, signed by key {}", v.modelName(), v.version(),
          v.backboneId(), heads.getSignatureKeyId());
      scorer.currentCandidate().filter(c -> c.getVersion() <= v.version()).ifPresent(c ->
          withdraw("serving v" + v.version() + " is at least as new as candidate v" + c.getVersion()));
      return Outcome.INSTALLED;
    } catch (InvalidWeightsException e) {
      String running = (role == Role.SERVING ? scorer.currentHeads() : scorer.currentCandidate())
          .map(v -> v.getModelName() + " v" + v.getVersion()).orElse("none");
      LOG.warn("Rejected {} {} v{} ({}), keeping {}: {}", role.noun(), heads.getModelName(), heads.getVersion(),
          e.reason(), running, e.getMessage());
      metrics.weightsRejected(e.reason());
      if (role == Role.CANDIDATE) {
        metrics.candidateRejected();
      }
      rejections.rejected(new WeightsRejection(heads.getModelName(), heads.getVersion(), e.reason(), e.getMessage(),
          source.topic(), source.partition(), source.offset()));
      return Outcome.REJECTED;
    }
  }

  /**
   * A tombstone under {@code key}: under this model's candidate key it withdraws the candidate (promoted or
   * discarded), so no turn is shadowed from the next device batch on; any other tombstone changes nothing.
   */
  public synchronized void tombstone(String key) {
    if (WeightsContract.candidateKey(modelName).equals(key)) {
      withdraw("the candidate was withdrawn (promoted or discarded)");
    }
  }

  private void withdraw(String why) {
    Optional<RewardHeads> candidate = scorer.currentCandidate();
    if (candidate.isPresent()) {
      scorer.clearCandidate();
      metrics.candidateWithdrawn();
      LOG.info("Stopped shadowing candidate weights {} v{}: {}", candidate.get().getModelName(),
          candidate.get().getVersion(), why);
    }
  }

  /**
   * Runs every check; true when the record is the one already running in its role (read again after a restart or a
   * rebalance of the global store), which is neither installed again nor rejected.
   */
  private boolean verify(Role role, String key, RewardHeads r) throws InvalidWeightsException {
    String what = role.noun() + " " + r.getModelName() + " v" + r.getVersion();
    String expectedKey = role == Role.SERVING ? modelName : WeightsContract.candidateKey(modelName);
    if (!expectedKey.equals(key) || !modelName.equals(r.getModelName())) {
      throw new InvalidWeightsException(Reason.MODEL_NAME_MISMATCH, what + " (record key '" + key
          + "') are not for this app's model '" + modelName + "'");
    }
    keys.verify(r);
    boolean candidateStatus = WeightsContract.STATUS_CANDIDATE.equals(r.getStatus());
    if (candidateStatus != (role == Role.CANDIDATE)) {
      throw new InvalidWeightsException(Reason.ROLE_MISMATCH, what + " have status '" + r.getStatus()
          + "' under key '" + key + "': " + (candidateStatus
              ? "a candidate serves only once it is promoted" : "only a record of status 'candidate' is shadowed"));
    }
    Optional<RewardHeads> running = scorer.currentHeads();
    if (role == Role.CANDIDATE) {
      Optional<RewardHeads> shadowed = scorer.currentCandidate();
      if (shadowed.isPresent() && sameSignedRecord(r, shadowed.get())) {
        return true;
      }
    } else if (running.isPresent() && r.getVersion() <= running.get().getVersion()
        && sameSignedRecord(r, running.get())) {
      return true;
    }
    if (running.isPresent() && r.getVersion() <= running.get().getVersion()) {
      throw new InvalidWeightsException(Reason.VERSION_NOT_NEWER, what + " are not newer than the running v"
          + running.get().getVersion() + ": versions only move forward (a rollback is published as a new version)");
    }
    BackboneInfo backbone = scorer.backbone();
    if (!backbone.id().equals(r.getBackboneId()) || !backbone.pooling().equals(r.getPooling())) {
      throw new InvalidWeightsException(Reason.BACKBONE_MISMATCH, what + " are for backbone '" + r.getBackboneId()
          + "' (" + r.getPooling() + " pooling), this scorer runs '" + backbone.id() + "' (" + backbone.pooling()
          + " pooling)");
    }
    HeadsWeights decoded = HeadsWeights.decode(r, backbone.embeddingDim());
    if (!decoded.attributes().equals(attributes)) {
      throw new InvalidWeightsException(Reason.ATTRIBUTES_MISMATCH, what + " have attributes "
          + decoded.attributes() + ", this app scores " + attributes);
    }
    prepareCanary();
    canary.check(decoded);
    return false;
  }

  /** Both verified: equal Ed25519 signatures (deterministic) by the same key mean equal content. */
  private static boolean sameSignedRecord(RewardHeads verified, RewardHeads running) {
    return verified.getVersion() == running.getVersion()
        && Objects.equals(verified.getSignatureKeyId(), running.getSignatureKeyId())
        && Objects.equals(verified.getSignature(), running.getSignature());
  }
}
