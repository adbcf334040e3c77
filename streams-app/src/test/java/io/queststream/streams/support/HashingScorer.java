package io.queststream.streams.support;

import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.Contribution;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.WeightsVersion;
import io.queststream.model.heads.HeadsMath;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small deterministic stand-in for the reward model: words hashed into an 8-d embedding, the real heads math on
 * top, one token per word. It records every batch it is asked to score and can be told to fail.
 */
public final class HashingScorer implements RewardScorer {

  public static final String BACKBONE_ID = "hashing-8";
  public static final int DIM = 8;

  private final AtomicReference<HeadsWeights> heads = new AtomicReference<>();
  private final List<List<ScoringRequest>> batches = new CopyOnWriteArrayList<>();
  private final Map<String, ScoringRequest> prepared = new ConcurrentHashMap<>();
  private volatile boolean failing;
  private volatile String poison;

  @Override
  public BackboneInfo backbone() {
    return new BackboneInfo(BACKBONE_ID, DIM, "mean", "cpu", 4096);
  }

  /** Text containing this word makes tokenCount throw, like a bug in the model's tokenizer would. */
  public static final String POISON = "POISON";

  @Override
  public int tokenCount(ScoringRequest request) {
    if (request.response().contains(POISON)) {
      throw new IllegalStateException("tokenizer failed on purpose");
    }
    int tokens = words(request.response());
    for (ChatMessage m : request.history()) {
      tokens += words(m.text());
    }
    return tokens;
  }

  @Override
  public List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException {
    HeadsWeights w = heads.get();
    if (failing) {
      throw new ScoringException("backbone failed on purpose");
    }
    if (poison != null && requests.stream().anyMatch(r -> r.response().contains(poison))) {
      throw new ScoringException("a turn in the batch contains '" + poison + "'");
    }
    if (w == null) {
      throw new ScoringException("no weights installed");
    }
    batches.add(List.copyOf(requests));
    List<RewardResult> results = new ArrayList<>();
    for (ScoringRequest r : requests) {
      float[] prompt = embed(r.history().stream().map(ChatMessage::text).reduce("", (a, b) -> a + " " + b));
      float[] response = embed(r.response());
      HeadsMath.Output out = HeadsMath.forward(w, prompt, response);
      List<AttributeReward> attributes = new ArrayList<>();
      List<Contribution> contributions = new ArrayList<>();
      for (int k = 0; k < w.attributeCount(); k++) {
        float onScale = w.scaleMin() + out.rewards()[k] * (w.scaleMax() - w.scaleMin());
        attributes.add(new AttributeReward(w.attributes().get(k), out.rewards()[k], onScale, out.gating()[k],
            out.coefficients()[k]));
        contributions.add(new Contribution(w.attributes().get(k), out.rewards()[k], out.coefficients()[k],
            out.rewards()[k] * out.coefficients()[k]));
      }
      contributions.sort(Comparator.comparingDouble((Contribution c) -> Math.abs(c.coefficient())).reversed());
      WeightsVersion v = w.version();
      results.add(new RewardResult(r.turnId(), attributes, out.score(), contributions.subList(0, 3), v.modelName(),
          v.version(), BACKBONE_ID, w.scaleMin(), w.scaleMax(), tokenCount(r) - words(r.response()),
          words(r.response()), Set.of(), 0f, requests.size(), 1.0, prompt, response));
    }
    return results;
  }

  /** One window of word hashes; the request is remembered so that scoring it later scores its text. */
  @Override
  public PreparedTurn prepare(ScoringRequest request) {
    prepared.put(request.turnId(), request);
    long[] ids = new long[tokenCount(request)];
    int responseFrom = ids.length - words(request.response());
    return new PreparedTurn(request.turnId(), BACKBONE_ID, List.of(new TokenWindow(ids, 0, responseFrom,
        responseFrom, ids.length)), responseFrom, ids.length - responseFrom, words(request.response()), 0, Set.of());
  }

  @Override
  public List<RewardResult> scorePrepared(List<PreparedTurn> turns) throws ScoringException {
    List<ScoringRequest> requests = new ArrayList<>(turns.size());
    for (PreparedTurn t : turns) {
      requests.add(prepared.get(t.turnId()));
    }
    return score(requests);
  }

  @Override
  public List<EmbeddedTurn> embed(List<ScoringRequest> requests) {
    return requests.stream().map(r -> new EmbeddedTurn(r.turnId(), embed(String.join(" ",
        r.history().stream().map(ChatMessage::text).toList())), embed(r.response()), 0, words(r.response()), Set.of()))
        .toList();
  }

  @Override
  public WeightsVersion installWeights(RewardHeads record) throws InvalidWeightsException {
    HeadsWeights w = HeadsWeights.decode(record, DIM);
    heads.set(w);
    return w.version();
  }

  @Override
  public Optional<WeightsVersion> currentWeights() {
    return Optional.ofNullable(heads.get()).map(HeadsWeights::version);
  }

  @Override
  public Optional<RewardHeads> currentHeads() {
    return Optional.ofNullable(heads.get()).map(HeadsWeights::record);
  }

  @Override
  public void close() {}

  public List<List<ScoringRequest>> batches() {
    return batches;
  }

  public List<ScoringRequest> requests() {
    return batches.stream().flatMap(List::stream).toList();
  }

  public void failing(boolean fail) {
    failing = fail;
  }

  /** Fails every call whose batch holds a response containing {@code marker}, as an over-long turn does. */
  public void failOn(String marker) {
    poison = marker;
  }

  private static int words(String text) {
    String t = text.trim();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static float[] embed(String text) {
    float[] v = new float[DIM];
    for (String word : text.trim().split("\\s+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(word.hashCode(), DIM)] += 1f;
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm > 0) {
      for (int i = 0; i < DIM; i++) {
        v[i] /= (float) Math.sqrt(norm);
      }
    }
    return v;
  }
}
