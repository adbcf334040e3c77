package io.queststream.model.cli;

import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Inputs of the benchmark: roleplay turns of realistic, varied lengths and random heads of the design's shape. */
final class BenchTurns {

  private static final List<CharacterProfile> CHARACTERS = List.of(
      new CharacterProfile("mira", "Mira", "A sardonic starship mechanic who hides kindness behind sarcasm.",
          "The ship's engine died near a nebula and the crew is getting nervous."),
      new CharacterProfile("aldric", "Aldric", "An old court wizard, formal, fond of long metaphors.",
          "The young queen asks for counsel on the eve of a war she did not choose."),
      new CharacterProfile("juno", "Juno", "A cheerful detective in a rain-soaked noir city.",
          "A witness has just walked into the office with a torn photograph."));

  private static final String[] USER_LINES = {
      "What happened here?", "Can you fix it before morning?", "Tell me what you really think.",
      "I found this on the floor, does it mean anything to you?", "We are running out of time.",
      "Why do you always answer questions with questions?", "Describe the room for me."};

  private static final String[] RESPONSE_SENTENCES = {
      "She wipes her hands on a rag and squints at the panel.",
      "The silence stretches long enough to be uncomfortable.",
      "\"Of course it broke, everything breaks when you look at it wrong.\"",
      "Outside, the nebula paints the window in slow violet waves.",
      "He taps the table twice, a habit from years of waiting for bad news.",
      "\"Give me an hour, and do not touch anything blinking.\"",
      "The photograph shows half a face and a date written in a careful hand.",
      "Rain keeps drumming on the glass as if it wants to be part of the story."};

  private BenchTurns() {}

  static String source() {
    return "generated in BenchTurns, seed 42: 3 characters, 1-7 history messages, 1-12 sentence responses";
  }

  static List<ScoringRequest> requests(int n) {
    Random rnd = new Random(42);
    List<ScoringRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<ChatMessage> history = new ArrayList<>();
      int messages = 1 + 2 * rnd.nextInt(4);
      for (int m = 0; m < messages; m++) {
        history.add(m % 2 == 0 ? new ChatMessage("user", USER_LINES[rnd.nextInt(USER_LINES.length)])
            : new ChatMessage("assistant", sentences(rnd, 1 + rnd.nextInt(3))));
      }
      out.add(new ScoringRequest("bench-" + i, CHARACTERS.get(rnd.nextInt(CHARACTERS.size())), history,
          sentences(rnd, 1 + rnd.nextInt(12))));
    }
    return out;
  }

  private static String sentences(Random rnd, int count) {
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < count; s++) {
      if (s > 0) {
        sb.append(' ');
      }
      sb.append(RESPONSE_SENTENCES[rnd.nextInt(RESPONSE_SENTENCES.length)]);
    }
    return sb.toString();
  }

  static RewardHeads randomHeads(String backboneId, String pooling, int dim, int hidden) {
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

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unavailable";
    }
  }
}
