package io.queststream.model.scoring;

import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.Contribution;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScorerUnavailableException;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.api.WeightsVersion;
import io.queststream.model.backbone.DjlBackbone;
import io.queststream.model.backbone.TurnWindows;
import io.queststream.model.batching.DynamicBatcher;
import io.queststream.model.batching.RejectedException;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.model.text.TemplateRenderException;
import io.queststream.model.text.TurnTokenizer;
import io.queststream.model.text.VisibleText;
import io.queststream.schemas.RewardHeads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reward scorer: callers' threads render, tokenize and window their own requests, the shared dynamic batcher
 * runs them through backbone and heads in device batches, and the results are put back together in request order.
 */
public final class DefaultRewardScorer implements RewardScorer {

  private final ModelConfig config;
  private final TurnTokenizer tokenizer;
  private final TurnWindows windows;
  private final DjlBackbone backbone;
  private final AtomicReference<HeadsWeights> weights = new AtomicReference<>();
  private final AtomicReference<HeadsWeights> candidate = new AtomicReference<>();
  /** One per batcher worker. */
  private final List<TurnBatchProcessor> processors = new ArrayList<>();
  private final DynamicBatcher<PreparedTurn, TurnOutput> batcher;

  public DefaultRewardScorer(ModelConfig config, TurnTokenizer tokenizer, DjlBackbone backbone) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.backbone = backbone;
    this.windows = new TurnWindows(backbone.info().id(), config.maxSequenceTokens(), config.text().windowOverlap(),
        config.text().maxWindows(), config.pooling());
    this.batcher = new DynamicBatcher<>(backbone.info().id(), config.batcher(), this::newProcessor,
        t -> new DynamicBatcher.Cost(t.windows().size(), t.longestWindow(), t.tokens()), config.meterRegistry());
  }

  private TurnBatchProcessor newProcessor() {
    TurnBatchProcessor processor = new TurnBatchProcessor(backbone, config.kind(), weights, candidate,
        config.meterRegistry());
    processors.add(processor);
    return processor;
  }

  /** Waits for the batcher's warm-up, if configured, to finish. */
  public DefaultRewardScorer awaitReady() throws InterruptedException {
    batcher.awaitReady();
    return this;
  }

  @Override
  public BackboneInfo backbone() {
    return backbone.info();
  }

  @Override
  public int tokenCount(ScoringRequest request) {
    try {
      return prepare(request).tokens();
    } catch (UnscorableTurnException e) {
      return config.maxSequenceTokens();
    }
  }

  @Override
  public PreparedTurn prepare(ScoringRequest request) throws UnscorableTurnException {
    if (VisibleText.isEmpty(request.response())) {
      throw new UnscorableTurnException(request.turnId(), UnscorableTurnException.Reason.NO_VISIBLE_TEXT,
          "the reply has no visible text", null);
    }
    try {
      return windows.plan(tokenizer.tokenize(request));
    } catch (TemplateRenderException e) {
      throw new UnscorableTurnException(request.turnId(), e.limitExceeded()
          ? UnscorableTurnException.Reason.RENDER_LIMIT : UnscorableTurnException.Reason.TEMPLATE_ERROR,
          e.getMessage(), e);
    }
  }

  @Override
  public int messageTokens(String text) {
    return tokenizer.textTokens(text);
  }

  @Override
  public List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException {
    return scorePrepared(prepare(requests));
  }

  @Override
  public List<RewardResult> scorePrepared(List<PreparedTurn> turns) throws ScoringException {
    if (weights.get() == null) {
      throw new ScoringException("no reward weights installed for backbone " + backbone.info().id());
    }
    List<TurnOutput> outputs = run(checked(turns));
    List<RewardResult> results = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      results.add(toResult(turns.get(i), outputs.get(i)));
    }
    return results;
  }

  @Override
  public List<CompletableFuture<RewardResult>> submit(List<PreparedTurn> prepared) throws ScoringException {
    List<PreparedTurn> turns = checkedForSubmit(prepared);
    List<CompletableFuture<TurnOutput>> outputs;
    try {
      outputs = batcher.trySubmit(turns);
    } catch (RejectedException e) {
      throw new ScorerUnavailableException(e.getMessage(), e);
    }
    List<CompletableFuture<RewardResult>> results = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      results.add(resultOf(turns.get(i), outputs.get(i)));
    }
    return results;
  }

  @Override
  public CompletableFuture<RewardResult> submitAlone(PreparedTurn prepared) throws ScoringException {
    PreparedTurn turn = checkedForSubmit(List.of(prepared)).get(0);
    try {
      return resultOf(turn, batcher.trySubmitAlone(turn));
    } catch (RejectedException e) {
      throw new ScorerUnavailableException(e.getMessage(), e);
    }
  }

  private List<PreparedTurn> checkedForSubmit(List<PreparedTurn> prepared) throws ScoringException {
    if (weights.get() == null) {
      throw new ScorerUnavailableException("no reward weights installed for backbone " + backbone.info().id());
    }
    return checked(prepared);
  }

  private CompletableFuture<RewardResult> resultOf(PreparedTurn turn, CompletableFuture<TurnOutput> output) {
    return output.handle((out, failure) -> {
      if (failure == null) {
        return toResultOrThrow(turn, out);
      }
      throw asyncFailure(turn, failure instanceof CompletionException ? failure.getCause() : failure);
    });
  }

  private RewardResult toResultOrThrow(PreparedTurn turn, TurnOutput output) {
    try {
      return toResult(turn, output);
    } catch (ScoringException e) {
      throw new CompletionException(e);
    }
  }

  /** What a submitted turn's future fails with: errors as they are, the batcher's refusals as "unavailable". */
  private static CompletionException asyncFailure(PreparedTurn turn, Throwable cause) {
    if (cause instanceof Error) {
      return new CompletionException(cause);
    }
    if (cause instanceof RejectedException || cause instanceof CancellationException) {
      return new CompletionException(new ScorerUnavailableException("turn " + turn.turnId() + " did not run: "
          + cause.getMessage(), cause));
    }
    return new CompletionException(new ScoringException("scoring turn " + turn.turnId() + " failed: " + cause,
        cause));
  }

  @Override
  public boolean queueEmpty() {
    return batcher.queueEmpty();
  }

  @Override
  public Optional<Duration> longestRunningCall() {
    return batcher.longestRunningCall();
  }

  @Override
  public List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException {
    List<PreparedTurn> turns = prepare(requests);
    List<TurnOutput> outputs = run(turns);
    List<EmbeddedTurn> results = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      PreparedTurn t = turns.get(i);
      TurnOutput o = outputs.get(i);
      results.add(new EmbeddedTurn(t.turnId(), o.prompt(), o.response(), t.promptTokens(), t.responseTokens(),
          t.truncation()));
    }
    return results;
  }

  @Override
  public WeightsVersion installWeights(RewardHeads heads) throws InvalidWeightsException {
    HeadsWeights decoded = decodeForBackbone(heads);
    weights.set(decoded);
    return decoded.version();
  }

  @Override
  public WeightsVersion installCandidate(RewardHeads heads) throws InvalidWeightsException {
    HeadsWeights decoded = decodeForBackbone(heads);
    candidate.set(decoded);
    return decoded.version();
  }

  @Override
  public void clearCandidate() {
    candidate.set(null);
  }

  @Override
  public Optional<RewardHeads> currentCandidate() {
    return Optional.ofNullable(candidate.get()).map(HeadsWeights::record);
  }

  private HeadsWeights decodeForBackbone(RewardHeads heads) throws InvalidWeightsException {
    BackboneInfo info = backbone.info();
    String what = "weights " + heads.getModelName() + " v" + heads.getVersion();
    if (!info.id().equals(heads.getBackboneId())) {
      throw new InvalidWeightsException(Reason.BACKBONE_MISMATCH,
          what + " are for backbone '" + heads.getBackboneId() + "', this scorer runs '" + info.id() + "'");
    }
    if (!info.pooling().equals(heads.getPooling())) {
      throw new InvalidWeightsException(Reason.BACKBONE_MISMATCH,
          what + " were trained on " + heads.getPooling() + " pooling, this backbone pools by " + info.pooling());
    }
    return HeadsWeights.decode(heads, info.embeddingDim());
  }

  @Override
  public Optional<WeightsVersion> currentWeights() {
    return Optional.ofNullable(weights.get()).map(HeadsWeights::version);
  }

  @Override
  public Optional<RewardHeads> currentHeads() {
    return Optional.ofNullable(weights.get()).map(HeadsWeights::record);
  }

  private List<PreparedTurn> prepare(List<ScoringRequest> requests) throws UnscorableTurnException {
    List<PreparedTurn> turns = new ArrayList<>(requests.size());
    for (ScoringRequest r : requests) {
      turns.add(prepare(r));
    }
    return turns;
  }

  /** Turns prepared elsewhere (or before a restart) must be for this backbone and fit its window. */
  private List<PreparedTurn> checked(List<PreparedTurn> turns) throws ScoringException {
    String id = backbone.info().id();
    for (PreparedTurn t : turns) {
      if (!id.equals(t.backboneId())) {
        throw new ScoringException("turn " + t.turnId() + " was prepared for backbone '" + t.backboneId()
            + "', this scorer runs '" + id + "'");
      }
      for (TokenWindow w : t.windows()) {
        if (w.length() > config.maxSequenceTokens()) {
          throw new ScoringException("turn " + t.turnId() + " has a window of " + w.length()
              + " tokens; the backbone takes " + config.maxSequenceTokens());
        }
      }
    }
    return turns;
  }

  private List<TurnOutput> run(List<PreparedTurn> turns) throws ScoringException {
    List<CompletableFuture<TurnOutput>> futures;
    try {
      futures = batcher.submit(turns);
    } catch (RejectedException e) {
      throw new ScoringException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScoringException("interrupted while queueing " + turns.size() + " turns", e);
    }
    List<TurnOutput> outputs = new ArrayList<>(futures.size());
    try {
      for (CompletableFuture<TurnOutput> f : futures) {
        outputs.add(f.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(false));
      Thread.currentThread().interrupt();
      throw new ScoringException("interrupted while waiting for scores", e);
    } catch (ExecutionException | CancellationException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new ScoringException("scoring batch failed: " + cause, cause);
    }
    return outputs;
  }

  private RewardResult toResult(PreparedTurn turn, TurnOutput o) throws ScoringException {
    if (o.weights() == null) {
      throw new ScoringException("turn " + turn.turnId() + " ran before any weights were installed");
    }
    RewardResult serving = toResult(turn, o, o.weights(), o.heads());
    return o.candidateWeights() == null ? serving
        : serving.withCandidate(toResult(turn, o, o.candidateWeights(), o.candidateHeads()));
  }

  private RewardResult toResult(PreparedTurn turn, TurnOutput o, HeadsWeights w, TurnOutput.HeadsOutput h) {
    float min = w.scaleMin();
    float max = w.scaleMax();
    List<AttributeReward> attributes = new ArrayList<>(w.attributeCount());
    List<Contribution> contributions = new ArrayList<>(w.attributeCount());
    for (int k = 0; k < w.attributeCount(); k++) {
      String name = w.attributes().get(k);
      float r = h.rewards()[k];
      float c = h.coefficients()[k];
      attributes.add(new AttributeReward(name, r, onScale(r, min, max), h.gating()[k], c));
      contributions.add(new Contribution(name, r, c, r * c));
    }
    contributions.sort(Comparator.comparingDouble((Contribution c) -> Math.abs(c.coefficient())).reversed());
    List<Contribution> topK = List.copyOf(contributions.subList(0, Math.min(config.topK(), contributions.size())));
    WeightsVersion v = w.version();
    return new RewardResult(turn.turnId(), List.copyOf(attributes), h.score(), topK, v.modelName(), v.version(),
        backbone.info().id(), min, max, turn.promptTokens(), turn.responseTokens(), turn.truncation(),
        turn.unknownShare(), o.batchSize(), o.modelLatencyMs(), o.prompt(), o.response());
  }

  /**
   * A reward on the rating scale. The heads regress labels normalised to [0,1] and, being linear, can land outside;
   * a rating cannot, so the scale's ends bound it (the raw reward keeps the model's own value).
   */
  static float onScale(float reward, float min, float max) {
    return Math.max(min, Math.min(max, min + reward * (max - min)));
  }

  @Override
  public void close() {
    batcher.close();
    processors.forEach(TurnBatchProcessor::close);
    backbone.close();
    tokenizer.close();
  }
}
