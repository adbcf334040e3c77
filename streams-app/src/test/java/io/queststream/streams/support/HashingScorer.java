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
import io.queststream.model.api.ScorerUnavailableException;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.UnscorableTurnException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small deterministic stand-in for the reward model: words hashed into an 8-d embedding, the real heads math on
 * top, one token per word. It records every batch handed to it and can be told to fail, to refuse work, to hold
 * results back until the test releases them, and to report a busy queue.
 */
public final class HashingScorer implements RewardScorer {

  public static final String BACKBONE_ID = "hashing-8";
  public static final int DIM = 8;
  /** Text containing this word makes the token counts throw, like a bug in the model's tokenizer would. */
  public static final String POISON = "POISON";
  /** A response containing this word is one the chat template cannot render: it can never be scored. */
  public static final String UNRENDERABLE = "UNRENDERABLE";

  /** A request held back until the test completes it. */
  private record Held(ScoringRequest request, int batchSize, CompletableFuture<RewardResult> result) {}

  /** A result the model finishes while the caller waits for it. */
  private final class FinishedWhenAwaited extends CompletableFuture<RewardResult> {
    private final ScoringRequest request;
    private final int batchSize;

    FinishedWhenAwaited(ScoringRequest request, int batchSize) {
      this.request = request;
      this.batchSize = batchSize;
    }

    @Override
    public RewardResult get(long timeout, TimeUnit unit) {
      complete(resultFor(request, batchSize));
      return join();
    }
  }

  private final AtomicReference<HeadsWeights> heads = new AtomicReference<>();
  private final AtomicReference<HeadsWeights> candidate = new AtomicReference<>();
  private final List<List<ScoringRequest>> batches = new CopyOnWriteArrayList<>();
  private final List<Held> held = new CopyOnWriteArrayList<>();
  private final Map<String, ScoringRequest> prepared = new ConcurrentHashMap<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private volatile boolean failing;
  private volatile String poison;
  private volatile boolean holding;
  private volatile boolean finishWhenAwaited;
  private volatile boolean busy;

  @Override
  public BackboneInfo backbone() {
    return new BackboneInfo(BACKBONE_ID, DIM, "mean", "cpu", 4096);
  }

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
  public int messageTokens(String text) {
    if (text.contains(POISON)) {
      throw new IllegalStateException("tokenizer failed on purpose");
    }
    return words(text);
  }

  /** One window of word hashes; the request is remembered so that scoring it later scores its text. */
  @Override
  public PreparedTurn prepare(ScoringRequest request) throws UnscorableTurnException {
    if (request.response().contains(UNRENDERABLE)) {
      throw new UnscorableTurnException(request.turnId(), UnscorableTurnException.Reason.TEMPLATE_ERROR,
          "turn " + request.turnId() + ": the chat template failed on it on purpose", null);
    }
    prepared.put(request.turnId(), request);
    long[] ids = new long[tokenCount(request)];
    int responseFrom = ids.length - words(request.response());
    return new PreparedTurn(request.turnId(), BACKBONE_ID, List.of(new TokenWindow(ids, 0, responseFrom,
        responseFrom, ids.length)), responseFrom, ids.length - responseFrom, words(request.response()), 0, Set.of());
  }

  @Override
  public List<RewardResult> scorePrepared(List<PreparedTurn> turns) throws ScoringException {
    if (failing) {
      throw new ScoringException("backbone failed on purpose");
    }
    List<ScoringRequest> requests = requestsOf(turns);
    if (poison != null && requests.stream().anyMatch(r -> r.response().contains(poison))) {
      throw new ScoringException("a turn in the batch contains '" + poison + "'");
    }
    return score(requests);
  }

  private List<ScoringRequest> requestsOf(List<PreparedTurn> turns) {
    return turns.stream().map(t -> prepared.get(t.turnId())).toList();
  }

  @Override
  public List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException {
    if (heads.get() == null) {
      throw new ScoringException("no weights installed");
    }
    batches.add(List.copyOf(requests));
    List<RewardResult> results = new ArrayList<>();
    for (ScoringRequest r : requests) {
      results.add(resultFor(r, requests.size()));
    }
    return results;
  }

  @Override
  public List<CompletableFuture<RewardResult>> submit(List<PreparedTurn> turns) throws ScorerUnavailableException {
    if (heads.get() == null) {
      throw new ScorerUnavailableException("no weights installed");
    }
    if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new ScorerUnavailableException("queue full");
    }
    List<ScoringRequest> requests = requestsOf(turns);
    batches.add(requests);
    List<CompletableFuture<RewardResult>> results = new ArrayList<>();
    for (ScoringRequest r : requests) {
      if (finishWhenAwaited) {
        results.add(new FinishedWhenAwaited(r, requests.size()));
      } else if (holding) {
        Held h = new Held(r, requests.size(), new CompletableFuture<>());
        held.add(h);
        results.add(h.result());
      } else {
        results.add(finish(r, requests.size()));
      }
    }
    return results;
  }

  /** Scored as a batch of its own, as the real scorer does (what {@link #batches()} shows). */
  @Override
  public CompletableFuture<RewardResult> submitAlone(PreparedTurn turn) throws ScorerUnavailableException {
    return submit(List.of(turn)).get(0);
  }

  private CompletableFuture<RewardResult> finish(ScoringRequest r, int batchSize) {
    if (failing) {
      return CompletableFuture.failedFuture(new ScoringException("backbone failed on purpose"));
    }
    if (poison != null && r.response().contains(poison)) {
      return CompletableFuture.failedFuture(new ScoringException("turn " + r.turnId() + " contains '" + poison
          + "'"));
    }
    return CompletableFuture.completedFuture(resultFor(r, batchSize));
  }

  @Override
  public boolean queueEmpty() {
    return !busy;
  }

  /** The serving heads' result, with the candidate's on the same embeddings while one is installed. */
  private RewardResult resultFor(ScoringRequest r, int batchSize) {
    RewardResult serving = resultFor(r, batchSize, heads.get());
    HeadsWeights c = candidate.get();
    return c == null ? serving : serving.withCandidate(resultFor(r, batchSize, c));
  }

  private RewardResult resultFor(ScoringRequest r, int batchSize, HeadsWeights w) {
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
    int promptTokens = r.history().stream().mapToInt(m -> words(m.text())).sum();
    return new RewardResult(r.turnId(), attributes, out.score(), contributions.subList(0, 3), v.modelName(),
        v.version(), BACKBONE_ID, w.scaleMin(), w.scaleMax(), promptTokens, words(r.response()), Set.of(), 0f,
        batchSize, 1.0, prompt, response);
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
  public WeightsVersion installCandidate(RewardHeads record) throws InvalidWeightsException {
    HeadsWeights w = HeadsWeights.decode(record, DIM);
    candidate.set(w);
    return w.version();
  }

  @Override
  public void clearCandidate() {
    candidate.set(null);
  }

  @Override
  public Optional<RewardHeads> currentCandidate() {
    return Optional.ofNullable(candidate.get()).map(HeadsWeights::record);
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

  /** Every batch handed over, in order (refused hand-overs are not batches). */
  public List<List<ScoringRequest>> batches() {
    return batches;
  }

  public List<ScoringRequest> requests() {
    return batches.stream().flatMap(List::stream).toList();
  }

  /** Every turn fails, each on its own, as when the backbone is broken. */
  public void failing(boolean fail) {
    failing = fail;
  }

  /** A turn whose response contains {@code marker} fails on its own; the turns batched with it are scored. */
  public void failOn(String marker) {
    poison = marker;
  }

  /** The next {@code times} hand-overs are refused as by a full queue. */
  public void refuse(int times) {
    refusals.set(times);
  }

  /** The queue reports waiting work, so turns are handed over only as full batches or after the maximum wait. */
  public void busy(boolean isBusy) {
    busy = isBusy;
  }

  /** Results of turns handed over from now on wait until the test finishes or fails them. */
  public void holdResults(boolean hold) {
    holding = hold;
  }

  /** Results of turns handed over from now on are finished the moment someone waits for them. */
  public void finishWhenAwaited(boolean on) {
    finishWhenAwaited = on;
  }

  public int heldResults() {
    return (int) held.stream().filter(h -> !h.result().isDone()).count();
  }

  /** Finishes the held result of one turn. */
  public void finishHeld(String turnId) {
    held.stream().filter(h -> h.request().turnId().equals(turnId) && !h.result().isDone())
        .forEach(h -> h.result().complete(resultFor(h.request(), h.batchSize())));
  }

  /** Finishes every held result, failing those {@link #failOn} or {@link #failing} say fail. */
  public void finishHeld() {
    for (Held h : held) {
      finish(h.request(), h.batchSize()).whenComplete((r, e) -> {
        if (e == null) {
          h.result().complete(r);
        } else {
          h.result().completeExceptionally(e);
        }
      });
    }
  }

  /** Fails every held result with {@code cause}, as the model would on its thread. */
  public void failHeld(Throwable cause) {
    held.forEach(h -> h.result().completeExceptionally(cause));
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
