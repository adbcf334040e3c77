package io.queststream.bench.model;

import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Inputs of the benchmarks: the sample data's assistant turns and random heads of the design's shape. */
public final class BenchTurns {

  private BenchTurns() {}

  /** The first {@code n} assistant turns of the sample data in time order, each with its character card and history. */
  public static List<ScoringRequest> requests(int n) {
    SampleDataset data = SampleData.load();
    List<ChatTurn> replies = data.turnsInTimeOrder().stream().filter(t -> "assistant".equals(t.getRole())).toList();
    if (replies.isEmpty()) {
      throw new IllegalStateException("the sample data set has no assistant turns");
    }
    List<ScoringRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ChatTurn turn = replies.get(i % replies.size());
      CharacterProfile character = data.card(turn.getCharacterId()).map(CharacterProfile::of).orElse(null);
      List<ChatMessage> history = data.history(turn.getTurnId()).stream()
          .map(h -> new ChatMessage(h.getRole(), h.getText()))
          .toList();
      out.add(new ScoringRequest(turn.getTurnId() + (i < replies.size() ? "" : "#" + i / replies.size()), character,
          history, turn.getText()));
    }
    return out;
  }

  /** Seeded heads with the design's shapes: 6 attributes, gating MLP of three hidden layers then K outputs. */
  public static RewardHeads randomHeads(String backboneId, String pooling, int dim, int hidden) {
    Random rnd = new Random(7);
    List<String> attributes = List.of("contextual_alignment", "character_consistency", "descriptive_depth",
        "role_specific_knowledge", "engagement_collaboration", "creativity_emotional_nuance");
    int k = attributes.size();
    List<DenseLayer> layers = new ArrayList<>();
    int in = dim;
    for (int l = 0; l < 4; l++) {
      int out = l < 3 ? hidden : k;
      layers.add(DenseLayer.newBuilder()
          .setWeight(Matrices.of(out, in, gaussian(rnd, out * in, 1 / Math.sqrt(in))))
          .setBias(Matrices.row(gaussian(rnd, out, 0.01)))
          .setActivation(l < 3 ? "relu" : "identity")
          .build());
      in = out;
    }
    float[] identity = new float[k * k];
    for (int i = 0; i < k; i++) {
      identity[i * k + i] = 1f;
    }
    return RewardHeads.newBuilder().setModelName("bench").setVersion(1).setBackboneId(backboneId)
        .setEmbeddingDim(dim).setPooling(pooling).setAttributeNames(attributes)
        .setRegression(Matrices.of(k, dim, gaussian(rnd, k * dim, 0.05))).setGatingLayers(layers)
        .setTransform(Matrices.of(k, k, identity)).setCreatedAt(Instant.now()).build();
  }

  private static float[] gaussian(Random rnd, int n, double std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * std);
    }
    return v;
  }
}
