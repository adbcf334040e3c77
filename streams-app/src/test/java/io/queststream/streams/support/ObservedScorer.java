package io.queststream.streams.support;

import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.api.WeightsVersion;
import io.queststream.schemas.RewardHeads;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real scorer seen through a window: records which threads hand it work, and can kill the stream thread that
 * collects its n-th batch the way a JVM crash would (an Error, which no exception handler turns into a dead letter),
 * once the test releases the crash: the test decides what must have happened before it.
 */
public final class ObservedScorer implements RewardScorer {

  /** Stands for the process dying mid-batch. */
  public static final class SimulatedCrash extends Error {
    public SimulatedCrash() {
      super("simulated crash in the middle of a micro-batch");
    }
  }

  private final RewardScorer delegate;
  private final int crashOnCall;
  private final CompletableFuture<Void> crashReleased;
  private final AtomicInteger calls = new AtomicInteger();
  private final int hangOnCall;
  private volatile long hungSinceNanos;
  private final Set<String> threads = ConcurrentHashMap.newKeySet();
  private volatile String hangOnTurn;
  private final List<String> aloneTurns = new CopyOnWriteArrayList<>();

  private ObservedScorer(RewardScorer delegate, int crashOnCall, CompletableFuture<Void> crashReleased,
      int hangOnCall) {
    this.delegate = delegate;
    this.crashOnCall = crashOnCall;
    this.crashReleased = crashReleased;
    this.hangOnCall = hangOnCall;
  }

  public static ObservedScorer watching(RewardScorer delegate) {
    return new ObservedScorer(delegate, -1, CompletableFuture.completedFuture(null), -1);
  }

  /**
   * Stands for a wedged backbone: from the {@code hangOnCall}-th submitted batch on, no batch completes, and the
   * scorer reports a model call running since the first of them was submitted.
   */
  public static ObservedScorer hangingOn(RewardScorer delegate, int hangOnCall) {
    return new ObservedScorer(delegate, -1, CompletableFuture.completedFuture(null), hangOnCall);
  }

  /**
   * Stands for a turn that wedges the backbone: every device batch that holds turn {@code turnId} never completes (nor
   * do the other turns of that batch), and the scorer reports a model call running since the first of them.
   */
  public static ObservedScorer hangingOnTurn(RewardScorer delegate, String turnId) {
    ObservedScorer scorer = watching(delegate);
    scorer.hangOnTurn = turnId;
    return scorer;
  }

  /**
   * The results of the {@code crashOnCall}-th submitted batch complete only once {@code release} has, and then with
   * a {@link SimulatedCrash} for the stream thread that collects them.
   */
  public static ObservedScorer crashingOn(RewardScorer delegate, int crashOnCall, CompletableFuture<Void> release) {
    return new ObservedScorer(delegate, crashOnCall, release, -1);
  }

  @Override
  public List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException {
    return delegate.score(requests);
  }

  @Override
  public List<CompletableFuture<RewardResult>> submit(List<PreparedTurn> turns) throws ScoringException {
    threads.add(Thread.currentThread().getName());
    if (hangOnTurn != null && turns.stream().anyMatch(t -> t.turnId().equals(hangOnTurn))) {
      return hang(turns);
    }
    if (hangOnCall > 0 && calls.get() + 1 >= hangOnCall) {
      calls.incrementAndGet();
      if (hungSinceNanos == 0) {
        hungSinceNanos = System.nanoTime();
      }
      return turns.stream().map(t -> new CompletableFuture<RewardResult>()).toList();
    }
    List<CompletableFuture<RewardResult>> results = delegate.submit(turns);
    if (calls.incrementAndGet() != crashOnCall) {
      return results;
    }
    return results.stream().map(f -> f.<Void, RewardResult>thenCombine(crashReleased, (r, released) -> {
      throw new SimulatedCrash();
    })).toList();
  }

  @Override
  public CompletableFuture<RewardResult> submitAlone(PreparedTurn turn) throws ScoringException {
    threads.add(Thread.currentThread().getName());
    aloneTurns.add(turn.turnId());
    if (turn.turnId().equals(hangOnTurn)) {
      return hang(List.of(turn)).get(0);
    }
    return delegate.submitAlone(turn);
  }

  private List<CompletableFuture<RewardResult>> hang(List<PreparedTurn> turns) {
    if (hungSinceNanos == 0) {
      hungSinceNanos = System.nanoTime();
    }
    return turns.stream().map(t -> new CompletableFuture<RewardResult>()).toList();
  }

  /** The turns handed over to run alone ({@link #submitAlone}), in order. */
  public List<String> aloneTurns() {
    return aloneTurns;
  }

  @Override
  public PreparedTurn prepare(ScoringRequest request) throws UnscorableTurnException {
    return delegate.prepare(request);
  }

  @Override
  public List<RewardResult> scorePrepared(List<PreparedTurn> turns) throws ScoringException {
    threads.add(Thread.currentThread().getName());
    if (calls.incrementAndGet() == crashOnCall) {
      crashReleased.join();
      throw new SimulatedCrash();
    }
    return delegate.scorePrepared(turns);
  }

  @Override
  public boolean queueEmpty() {
    return delegate.queueEmpty();
  }

  @Override
  public Optional<Duration> longestRunningCall() {
    long since = hungSinceNanos;
    return since == 0 ? delegate.longestRunningCall() : Optional.of(Duration.ofNanos(System.nanoTime() - since));
  }

  public Set<String> callingThreads() {
    return threads;
  }

  @Override
  public BackboneInfo backbone() {
    return delegate.backbone();
  }

  @Override
  public int tokenCount(ScoringRequest request) {
    return delegate.tokenCount(request);
  }

  @Override
  public int messageTokens(String text) {
    return delegate.messageTokens(text);
  }

  @Override
  public List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException {
    return delegate.embed(requests);
  }

  @Override
  public WeightsVersion installWeights(RewardHeads heads) throws InvalidWeightsException {
    return delegate.installWeights(heads);
  }

  @Override
  public Optional<WeightsVersion> currentWeights() {
    return delegate.currentWeights();
  }

  @Override
  public Optional<RewardHeads> currentHeads() {
    return delegate.currentHeads();
  }

  @Override
  public void close() {
    // the shared scorer outlives every app that borrows it
  }
}
