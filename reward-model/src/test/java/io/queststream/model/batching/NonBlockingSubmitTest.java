package io.queststream.model.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.config.BatcherConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher's side of non-blocking callers: {@code trySubmit} never waits, {@code queueEmpty} says whether work is
 * waiting, and a failing batch is taken apart so that only the request that fails alone fails. Every step waits on
 * the worker's own signals, never on the clock.
 */
class NonBlockingSubmitTest {

  record Req(String id, int length) {}

  /** Runs batches one at a time when the test lets it; fails any batch holding a poison request. */
  static final class SteppedProcessor implements BatchProcessor<Req, String> {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final Semaphore started = new Semaphore(0);
    final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public List<String> process(List<Req> items, int paddedLength) throws Exception {
      batches.add(items.stream().map(Req::id).toList());
      started.release();
      gate.await();
      if (items.stream().anyMatch(r -> r.id().startsWith("poison"))) {
        throw new IllegalStateException("device error");
      }
      return items.stream().map(r -> r.id() + "@" + paddedLength).toList();
    }

    @Override
    public void warmUp(int batchSize, int paddedLength) {}

    void awaitStarted() throws InterruptedException {
      if (!started.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the worker never started a batch");
      }
    }
  }

  private static final BatcherConfig CONFIG = new BatcherConfig(8, 1024, Duration.ZERO, 4, Duration.ofSeconds(30),
      List.of(16, 32, 64), false, 1.0);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SteppedProcessor processor = new SteppedProcessor();
  private final DynamicBatcher<Req, String> batcher =
      new DynamicBatcher<>("test", CONFIG, processor, r -> DynamicBatcher.Cost.single(r.length()), registry);

  @AfterEach
  void stop() {
    processor.gate.countDown();
    batcher.close();
  }

  private static List<String> join(List<CompletableFuture<String>> futures) throws Exception {
    List<String> out = new ArrayList<>();
    for (CompletableFuture<String> f : futures) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  private static List<Req> reqs(String... ids) {
    return java.util.Arrays.stream(ids).map(id -> new Req(id, 10)).toList();
  }

  @Test
  void aSubmissionTheQueueHasNoRoomForIsRejectedAtOnceAndNothingOfItIsQueued() throws Exception {
    // given the worker busy with one request and the queue (4 places) full behind it
    List<CompletableFuture<String>> running = batcher.trySubmit(reqs("a"));
    processor.awaitStarted();
    List<CompletableFuture<String>> queued = batcher.trySubmit(reqs("b", "c", "d"));

    // when two more arrive for one free place
    assertThatThrownBy(() -> batcher.trySubmit(reqs("e", "f")))
        .isInstanceOf(RejectedException.class).hasMessageContaining("room for 1 of 2");

    // then neither ran, and everything accepted did
    processor.gate.countDown();
    assertThat(join(running)).containsExactly("a@16");
    assertThat(join(queued)).containsExactly("b@16", "c@16", "d@16");
    assertThat(processor.batches).containsExactly(List.of("a"), List.of("b", "c", "d"));
    assertThat(registry.get("queststream.batcher.rejected").counter().count()).isEqualTo(2.0);
  }

  @Test
  void theQueueIsEmptyUnlessRequestsWaitBehindTheRunningBatch() throws Exception {
    assertThat(batcher.queueEmpty()).isTrue();
    List<CompletableFuture<String>> first = batcher.trySubmit(reqs("a"));
    processor.awaitStarted();
    assertThat(batcher.queueEmpty()).as("the only request is running, none waits").isTrue();

    List<CompletableFuture<String>> second = batcher.trySubmit(reqs("b"));

    assertThat(batcher.queueEmpty()).isFalse();
    processor.gate.countDown();
    assertThat(join(first)).containsExactly("a@16");
    assertThat(join(second)).containsExactly("b@16");
    assertThat(batcher.queueEmpty()).isTrue();
  }

  @Test
  void aFailingBatchRunsAgainOneRequestAtATimeSoOnlyTheRequestThatFailsAloneFails() throws Exception {
    // given two callers whose requests share one batch with a poison request of a third
    List<CompletableFuture<String>> first = batcher.trySubmit(reqs("a"));
    processor.awaitStarted();
    List<CompletableFuture<String>> caller1 = batcher.trySubmit(reqs("ok1"));
    List<CompletableFuture<String>> caller2 = batcher.trySubmit(reqs("poison", "ok2"));

    // when the batch runs
    processor.gate.countDown();

    // then only the poison request fails
    assertThat(join(first)).containsExactly("a@16");
    assertThat(join(caller1)).containsExactly("ok1@16");
    assertThat(caller2.get(1).get(30, TimeUnit.SECONDS)).isEqualTo("ok2@16");
    assertThatThrownBy(() -> caller2.get(0).get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage("device error");
    assertThat(processor.batches).containsExactly(List.of("a"), List.of("ok1", "poison", "ok2"), List.of("ok1"),
        List.of("poison"), List.of("ok2"));
    assertThat(registry.get("queststream.batcher.failed.batches").counter().count()).isEqualTo(2.0);
  }

  @Test
  void aRequestLongerThanTheLargestBucketFailsAloneAndItsNeighboursRun() throws Exception {
    processor.gate.countDown();

    List<CompletableFuture<String>> futures = batcher.trySubmit(List.of(new Req("ok", 10), new Req("long", 65)));

    assertThat(futures.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("ok@16");
    assertThatThrownBy(() -> futures.get(1).get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage(
            "a request of 65 tokens exceeds the largest sequence bucket 64");
    assertThat(processor.batches).containsExactly(List.of("ok"));
  }

  @Test
  void aClosedBatcherRejectsSubmissionsAtOnce() {
    processor.gate.countDown();
    batcher.close();

    assertThatThrownBy(() -> batcher.trySubmit(reqs("late"))).isInstanceOf(RejectedException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aModelCallIsReportedAsRunningFromItsStartUntilItReturns() throws Exception {
    assertThat(batcher.longestRunningCall()).as("before any call").isEmpty();

    // given a call that has started and not returned
    List<CompletableFuture<String>> results = batcher.trySubmit(reqs("a"));
    processor.awaitStarted();
    long seenRunning = System.nanoTime();

    // then it is reported, as running since before it was seen running
    long asked = System.nanoTime();
    assertThat(batcher.longestRunningCall()).hasValueSatisfying(d ->
        assertThat(d).isGreaterThanOrEqualTo(Duration.ofNanos(asked - seenRunning)));

    // and once it has returned, no longer
    processor.gate.countDown();
    assertThat(join(results)).containsExactly("a@16");
    assertThat(batcher.longestRunningCall()).isEmpty();
  }
}
