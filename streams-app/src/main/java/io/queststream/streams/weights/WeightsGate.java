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
 */
public final class WeightsGate {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsGate.class);

  /** What became of an offered record. */
  public enum Outcome { INSTALLED, ALREADY_RUNNING, REJECTED }

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

  /** Verifies the record read from {@code source} under {@code key} and installs it if it passes every check. */
  public synchronized Outcome offer(String key, RewardHeads heads, Source source) {
    try {
      if (verify(key, heads)) {
        LOG.debug("Weights {} v{} are already running", heads.getModelName(), heads.getVersion());
        return Outcome.ALREADY_RUNNING;
      }
      WeightsVersion v = scorer.installWeights(heads);
      metrics.weightsInstalled(v);
      LOG.info("Installed reward weights {} v{} for backbone {}, signed by key {}", v.modelName(), v.version(),
          v.backboneId(), heads.getSignatureKeyId());
      return Outcome.INSTALLED;
    } catch (InvalidWeightsException e) {
      String running = scorer.currentWeights().map(v -> v.modelName() + " v" + v.version()).orElse("none");
      LOG.warn("Rejected reward weights {} v{} ({}), keeping {}: {}", heads.getModelName(), heads.getVersion(),
          e.reason(), running, e.getMessage());
      metrics.weightsRejected(e.reason());
      rejections.rejected(new WeightsRejection(heads.getModelName(), heads.getVersion(), e.reason(), e.getMessage(),
          source.topic(), source.partition(), source.offset()));
      return Outcome.REJECTED;
    }
  }

  /**
   * Runs every check; true when the record is the one already running (read again after a restart or a rebalance
   * of the global store), which is neither installed again nor rejected.
   */
  private boolean verify(String key, RewardHeads r) throws InvalidWeightsException {
    String what = "weights " + r.getModelName() + " v" + r.getVersion();
    if (!modelName.equals(key) || !modelName.equals(r.getModelName())) {
      throw new InvalidWeightsException(Reason.MODEL_NAME_MISMATCH, what + " (record key '" + key
          + "') are not for this app's model '" + modelName + "'");
    }
    keys.verify(r);
    Optional<RewardHeads> running = scorer.currentHeads();
    if (running.isPresent() && r.getVersion() <= running.get().getVersion()) {
      if (sameSignedRecord(r, running.get())) {
        return true;
      }
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
