package io.queststream.model.scoring;

import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.Contribution;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScorerUnavailableException;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.WeightsVersion;
import io.queststream.model.backbone.DjlBackbone;
import io.queststream.model.batching.DynamicBatcher;
import io.queststream.model.batching.RejectedException;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.model.text.TokenizedTurn;
import io.queststream.model.text.TurnTokenizer;
import io.queststream.model.text.TurnTooLongException;
import io.queststream.schemas.RewardHeads;
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
 * The reward scorer: callers' threads render and tokenize their own requests, the shared dynamic batcher runs them
 * through backbone and heads in device batches, and the results are put back together in request order.
 */
public final class DefaultRewardScorer implements RewardScorer {

  private final ModelConfig config;
  private final TurnTokenizer tokenizer;
  private final DjlBackbone backbone;
  private final AtomicReference<HeadsWeights> weights = new AtomicReference<>();
  private final TurnBatchProcessor processor;
  private final DynamicBatcher<TokenizedTurn, TurnOutput> batcher;

  public DefaultRewardScorer(ModelConfig config, TurnTokenizer tokenizer, DjlBackbone backbone) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.backbone = backbone;
    this.processor = new TurnBatchProcessor(backbone, config.kind(), weights, config.meterRegistry());
    this.batcher = new DynamicBatcher<>(backbone.info().id(), config.batcher(), processor, TokenizedTurn::length,
        config.meterRegistry());
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
    return tokenizer.tokenCount(request);
  }

  @Override
  public int messageTokens(String text) {
    return tokenizer.textTokens(text);
  }

  @Override
  public PreparedTurn prepare(ScoringRequest request) throws ScoringException {
    return new Prepared(this, tokenize(request));
  }

  @Override
  public List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException {
    if (weights.get() == null) {
      throw new ScoringException("no reward weights installed for backbone " + backbone.info().id());
    }
    List<TokenizedTurn> turns = tokenize(requests);
    List<TurnOutput> outputs = run(turns);
    List<RewardResult> results = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      results.add(toResult(turns.get(i), outputs.get(i)));
    }
    return results;
  }

  @Override
  public List<CompletableFuture<RewardResult>> submit(List<PreparedTurn> prepared) throws ScorerUnavailableException {
    if (weights.get() == null) {
      throw new ScorerUnavailableException("no reward weights installed for backbone " + backbone.info().id());
    }
    List<TokenizedTurn> turns = new ArrayList<>(prepared.size());
    for (PreparedTurn p : prepared) {
      if (!(p instanceof Prepared own) || own.scorer() != this) {
        throw new IllegalArgumentException("turn " + p.turnId() + " was prepared by another scorer");
      }
      turns.add(own.turn());
    }
    List<CompletableFuture<TurnOutput>> outputs;
    try {
      outputs = batcher.trySubmit(turns);
    } catch (RejectedException e) {
      throw new ScorerUnavailableException(e.getMessage(), e);
    }
    List<CompletableFuture<RewardResult>> results = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      TokenizedTurn turn = turns.get(i);
      results.add(outputs.get(i).handle((output, failure) -> {
        if (failure == null) {
          return toResultOrThrow(turn, output);
        }
        throw asyncFailure(turn, failure instanceof CompletionException ? failure.getCause() : failure);
      }));
    }
    return results;
  }

  private RewardResult toResultOrThrow(TokenizedTurn turn, TurnOutput output) {
    try {
      return toResult(turn, output);
    } catch (ScoringException e) {
      throw new CompletionException(e);
    }
  }

  /** What a submitted turn's future fails with: errors as they are, the batcher's refusals as "unavailable". */
  private static CompletionException asyncFailure(TokenizedTurn turn, Throwable cause) {
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

  /** A turn this scorer tokenized. */
  private record Prepared(DefaultRewardScorer scorer, TokenizedTurn turn) implements PreparedTurn {
    @Override
    public String turnId() {
      return turn.turnId();
    }

    @Override
    public int tokens() {
      return turn.length();
    }
  }

  @Override
  public List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException {
    List<TokenizedTurn> turns = tokenize(requests);
    List<TurnOutput> outputs = run(turns);
    List<EmbeddedTurn> results = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      TokenizedTurn t = turns.get(i);
      TurnOutput o = outputs.get(i);
      results.add(new EmbeddedTurn(t.turnId(), o.prompt(), o.response(), t.promptTokens(), t.responseTokens(),
          t.truncated()));
    }
    return results;
  }

  @Override
  public WeightsVersion installWeights(RewardHeads heads) throws InvalidWeightsException {
    BackboneInfo info = backbone.info();
    if (!info.id().equals(heads.getBackboneId())) {
      throw new InvalidWeightsException("weights " + heads.getModelName() + " v" + heads.getVersion()
          + " are for backbone '" + heads.getBackboneId() + "', this scorer runs '" + info.id() + "'");
    }
    if (!info.pooling().equals(heads.getPooling())) {
      throw new InvalidWeightsException("weights " + heads.getModelName() + " v" + heads.getVersion()
          + " were trained on " + heads.getPooling() + " pooling, this backbone pools by " + info.pooling());
    }
    HeadsWeights decoded = HeadsWeights.decode(heads, info.embeddingDim());
    weights.set(decoded);
    return decoded.version();
  }

  @Override
  public Optional<WeightsVersion> currentWeights() {
    return Optional.ofNullable(weights.get()).map(HeadsWeights::version);
  }

  private List<TokenizedTurn> tokenize(List<ScoringRequest> requests) throws ScoringException {
    List<TokenizedTurn> turns = new ArrayList<>(requests.size());
    for (ScoringRequest r : requests) {
      turns.add(tokenize(r));
    }
    return turns;
  }

  private TokenizedTurn tokenize(ScoringRequest request) throws ScoringException {
    try {
      return tokenizer.tokenize(request);
    } catch (TurnTooLongException | IllegalArgumentException e) {
      throw new ScoringException(e.getMessage(), e);
    }
  }

  private List<TurnOutput> run(List<TokenizedTurn> turns) throws ScoringException {
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

  private RewardResult toResult(TokenizedTurn turn, TurnOutput o) throws ScoringException {
    HeadsWeights w = o.weights();
    if (w == null) {
      throw new ScoringException("turn " + turn.turnId() + " ran before any weights were installed");
    }
    TurnOutput.HeadsOutput h = o.heads();
    float min = w.scaleMin();
    float max = w.scaleMax();
    List<AttributeReward> attributes = new ArrayList<>(w.attributeCount());
    List<Contribution> contributions = new ArrayList<>(w.attributeCount());
    for (int k = 0; k < w.attributeCount(); k++) {
      String name = w.attributes().get(k);
      float r = h.rewards()[k];
      float c = h.coefficients()[k];
      attributes.add(new AttributeReward(name, r, min + r * (max - min), h.gating()[k], c));
      contributions.add(new Contribution(name, r, c, r * c));
    }
    contributions.sort(Comparator.comparingDouble((Contribution c) -> Math.abs(c.coefficient())).reversed());
    List<Contribution> topK = List.copyOf(contributions.subList(0, Math.min(config.topK(), contributions.size())));
    WeightsVersion v = w.version();
    return new RewardResult(turn.turnId(), List.copyOf(attributes), h.score(), topK, v.modelName(), v.version(),
        backbone.info().id(), min, max, turn.promptTokens(), turn.responseTokens(), turn.truncated(), o.batchSize(),
        o.modelLatencyMs(), o.prompt(), o.response());
  }

  @Override
  public void close() {
    batcher.close();
    processor.close();
    backbone.close();
    tokenizer.close();
  }
}
