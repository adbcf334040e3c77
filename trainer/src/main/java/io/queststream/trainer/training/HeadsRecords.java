package io.queststream.trainer.training;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.trainer.gating.DenseParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns trained heads into the RewardHeads record the scorer installs, and back into something that scores. */
public final class HeadsRecords {

  /** Identity of the backbone the embeddings came from and of the version being written. */
  public record Identity(String modelName, long version, Long parentVersion, String status, String backboneId,
      String pooling, float scaleMin, float scaleMax) {}

  private HeadsRecords() {}

  public static RewardHeads toRecord(TrainedHeads heads, Identity id, Map<String, String> summary,
      Map<String, Double> metrics) {
    int k = heads.attributes().size();
    int d = heads.ridge().dim();
    List<DenseLayer> layers = new ArrayList<>();
    List<DenseParams> params = heads.gating().layers();
    for (int i = 0; i < params.size(); i++) {
      DenseParams p = params.get(i);
      layers.add(DenseLayer.newBuilder()
          .setWeight(Matrices.of(p.out(), p.in(), p.weight().clone()))
          .setBias(Matrices.of(1, p.out(), p.bias().clone()))
          .setActivation(i == params.size() - 1 ? "identity" : "relu")
          .build());
    }
    List<Float> lambdas = new ArrayList<>();
    for (float l : heads.transform().lambdas()) {
      lambdas.add(l);
    }
    return RewardHeads.newBuilder()
        .setModelName(id.modelName())
        .setVersion(id.version())
        .setParentVersion(id.parentVersion())
        .setStatus(id.status())
        .setBackboneId(id.backboneId())
        .setEmbeddingDim(d)
        .setPooling(id.pooling())
        .setAttributeNames(new ArrayList<>(heads.attributes()))
        .setScaleMin(id.scaleMin())
        .setScaleMax(id.scaleMax())
        .setRegression(Matrices.of(k, d, heads.ridge().weights().clone()))
        .setGatingLayers(layers)
        .setTemperature(heads.gating().temperature())
        .setLogitScale(heads.gating().beta())
        .setTransform(Matrices.of(k, k, heads.transform().matrix().clone()))
        .setVerbositySignal(heads.verbosity().name())
        .setVerbosityLambdas(lambdas)
        .setTrainingSummary(Map.copyOf(summary))
        .setMetrics(Map.copyOf(metrics))
        .setCreatedAt(Instant.now())
        .build();
  }

  /** Decodes and validates a record exactly as the scorer does before it installs heads. */
  public static HeadsWeights weights(RewardHeads record) {
    try {
      return HeadsWeights.decode(record, -1);
    } catch (InvalidWeightsException e) {
      throw new IllegalStateException("trained heads do not validate: " + e.getMessage(), e);
    }
  }
}
