package io.queststream.model.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.config.BatcherConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  /** A request: its id and its length in tokens. */
  record Req(String id, int length) {}

  /** Records every batch it runs; answers "id@paddedLength"; fails batches holding a poison request. */
  static final class RecordingProcessor implements BatchProcessor<Req, String> {
    final List<List<Req>> batches = new CopyOnWriteArrayList<>();
    final List<Integer> paddedLengths = new CopyOnWriteArrayList<>();
    final List<String> warmUps = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public List<String> process(List<Req> items, int paddedLength) throws Exception {
      gate.await();
      batches.add(List.copyOf(items));
      paddedLengths.add(paddedLength);
      if (items.stream().anyMatch(r -> r.id().startsWith("poison"))) {
        throw new IllegalStateException("device error");
      }
      return items.stream().map(r -> r.id() + "@" + paddedLength).toList();
    }

    @Override
    public void warmUp(int batchSize, int paddedLength) {
      warmUps.add(batchSize + "x" + paddedLength);
    }
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingProcessor processor = new RecordingProcessor();
  private DynamicBatcher<Req, String> batcher;

  private static final BatcherConfig CONFIG = new BatcherConfig(8, 1024, Duration.ofMillis(20), 64,
      Duration.ofSeconds(10), List.of(16, 32, 64, 128), false, 1.0);

  private DynamicBatcher<Req, String> start(BatcherConfig config) {
    batcher = new DynamicBatcher<>("test", config, processor, r -> DynamicBatcher.Cost.single(r.length()),
        registry);
    return batcher;
  }

  @AfterEach
  void stop() {
    processor.gate.countDown();
    if (batcher != null) {
      batcher.close();
    }
  }

  private static List<String> join(List<CompletableFuture<String>> futures) throws Exception {
    List<String> out = new ArrayList<>();
    for (CompletableFuture<String> f : futures) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void manyThreadsGetTheirOwnResultsInOrderFromSharedBatches() throws Exception {
    start(CONFIG);
    ExecutorService callers = Executors.newFixedThreadPool(16);
    List<Future<Boolean>> calls = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      calls.add(callers.submit(() -> {
        Random rnd = new Random(thread);
        for (int c = 0; c < 40; c++) {
          List<Req> reqs = new ArrayList<>();
          for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
            reqs.add(new Req(thread + "-" + c + "-" + i, 1 + rnd.nextInt(128)));
          }
          List<String> results = join(batcher.submit(reqs));
          for (int i = 0; i < reqs.size(); i++) {
            if (!results.get(i).startsWith(reqs.get(i).id() + "@")) {
              return false;
            }
          }
        }
        return true;
      }));
    }
    for (Future<Boolean> call : calls) {
      assertThat(call.get(60, TimeUnit.SECONDS)).isTrue();
    }
    callers.shutdown();

    int processed = processor.batches.stream().mapToInt(List::size).sum();
    assertThat(processed).isBetween(16 * 40, 16 * 40 * 4);
    assertThat(processor.batches).as("concurrent calls share batches").anyMatch(b -> b.size() > 1);
    assertThat(processor.batches).allMatch(b -> b.size() <= 8);
    for (int i = 0; i < processor.batches.size(); i++) {
      int padded = processor.paddedLengths.get(i);
      List<Req> b = processor.batches.get(i);
      assertThat(b).allMatch(r -> r.length() <= padded);
      assertThat(b.size() * padded).as("token budget").isLessThanOrEqualTo(1024);
    }
    assertThat(registry.get("queststream.batcher.batch.size").summary().count()).isEqualTo(processor.batches.size());
  }

  @Test
  void aRequestSubmittedAloneRunsInABatchOfItsOwnWhileItsNeighboursShareOne() throws Exception {
    processor.gate = new CountDownLatch(1);
    start(CONFIG);
    batcher.submit(List.of(new Req("running", 4)));
    awaitBatchTaken();
    List<CompletableFuture<String>> before = batcher.trySubmit(List.of(new Req("a", 10), new Req("b", 12)));
    CompletableFuture<String> suspect = batcher.trySubmitAlone(new Req("suspect", 11));
    List<CompletableFuture<String>> after = batcher.trySubmit(List.of(new Req("c", 12)));

    processor.gate.countDown();

    assertThat(join(before)).containsExactly("a@16", "b@16");
    assertThat(suspect.get(30, TimeUnit.SECONDS)).isEqualTo("suspect@16");
    assertThat(join(after)).containsExactly("c@16");
    assertThat(processor.batches).extracting(b -> b.stream().map(Req::id).toList())
        .containsExactlyInAnyOrder(List.of("running"), List.of("a", "b", "c"), List.of("suspect"));
  }

  @Test
  void fullQueueBlocksSubmittersThenRejectsThemAfterTheTimeout() throws Exception {
    processor.gate = new CountDownLatch(1);
    start(new BatcherConfig(1, 1024, Duration.ZERO, 2, Duration.ofMillis(300), List.of(16), false, 1.0));
    List<CompletableFuture<String>> first = batcher.submit(List.of(new Req("running", 4)));
    awaitBatchTaken();
    List<CompletableFuture<String>> queued = batcher.submit(List.of(new Req("q1", 4), new Req("q2", 4)));

    long start = System.nanoTime();
    assertThatThrownBy(() -> batcher.submit(List.of(new Req("overflow", 4))))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("queue stayed full (2 requests) for 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
    assertThat(registry.get("queststream.batcher.rejected").counter().count()).isEqualTo(1.0);

    processor.gate.countDown();
    assertThat(join(first)).containsExactly("running@16");
    assertThat(join(queued)).containsExactly("q1@16", "q2@16");
  }

  @Test
  void blockedSubmitterProceedsOnceTheQueueDrains() throws Exception {
    processor.gate = new CountDownLatch(1);
    start(new BatcherConfig(1, 1024, Duration.ZERO, 1, Duration.ofSeconds(20), List.of(16), false, 1.0));
    batcher.submit(List.of(new Req("running", 4)));
    awaitBatchTaken();
    batcher.submit(List.of(new Req("queued", 4)));

    CompletableFuture<List<CompletableFuture<String>>> blocked = CompletableFuture.supplyAsync(() -> {
      try {
        return batcher.submit(List.of(new Req("patient", 4)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertThat(blocked).as("submitter waits while the queue is full").isNotDone();

    processor.gate.countDown();
    assertThat(join(blocked.get(10, TimeUnit.SECONDS))).containsExactly("patient@16");
  }

  @Test
  void loneRequestRunsAfterMaxWait() throws Exception {
    start(CONFIG.withMaxWait(Duration.ofMillis(50)));

    long start = System.nanoTime();
    List<String> result = join(batcher.submit(List.of(new Req("alone", 10))));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(result).containsExactly("alone@16");
    assertThat(tookMs).as("the lone request waited for company").isGreaterThanOrEqualTo(45);
    assertThat(processor.batches).containsExactly(List.of(new Req("alone", 10)));
  }

  @Test
  void fullBatchDoesNotWaitForMaxWait() throws Exception {
    // A day of max wait: a result at all shows the full batch ran without waiting for it.
    start(CONFIG.withMaxWait(Duration.ofDays(1)).withMaxBatchSize(4));

    List<String> result = join(batcher.submit(
        List.of(new Req("a", 10), new Req("b", 10), new Req("c", 10), new Req("d", 10))));

    assertThat(result).containsExactly("a@16", "b@16", "c@16", "d@16");
    assertThat(processor.batches).containsExactly(
        List.of(new Req("a", 10), new Req("b", 10), new Req("c", 10), new Req("d", 10)));
  }

  @Test
  void failingBatchFailsOnlyItsOwnRequests() throws Exception {
    start(CONFIG.withMaxBatchSize(1));
    List<CompletableFuture<String>> poisoned = batcher.submit(List.of(new Req("poison", 4)));
    List<CompletableFuture<String>> healthy = batcher.submit(List.of(new Req("ok1", 4), new Req("ok2", 40)));

    assertThatThrownBy(() -> poisoned.get(0).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage("device error");
    assertThat(join(healthy)).containsExactly("ok1@16", "ok2@64");
    assertThat(join(batcher.submit(List.of(new Req("later", 4))))).containsExactly("later@16");
    assertThat(registry.get("queststream.batcher.failed.batches").counter().count()).isEqualTo(1.0);
  }

  @Test
  void sortsQueuedRequestsByLengthSoShortOnesAreNotPaddedToLongOnes() throws Exception {
    processor.gate = new CountDownLatch(1);
    start(CONFIG.withMaxBatchSize(4));
    batcher.submit(List.of(new Req("first", 4)));
    awaitBatchTaken();
    List<Req> mixed = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      mixed.add(new Req((i % 2 == 0 ? "short" : "long") + i, i % 2 == 0 ? 10 : 120));
    }
    List<CompletableFuture<String>> results = batcher.submit(mixed);

    processor.gate.countDown();
    List<String> out = join(results);

    assertThat(out).containsExactly("short0@16", "long1@128", "short2@16", "long3@128", "short4@16", "long5@128",
        "short6@16", "long7@128");
    assertThat(processor.batches.subList(1, processor.batches.size()))
        .allMatch(b -> b.stream().map(Req::length).distinct().count() == 1);
    double meanPadding = registry.get("queststream.batcher.padding.ratio").summary().mean();
    assertThat(meanPadding).isLessThan(0.5);
  }

  @Test
  void startsANewBatchRatherThanPadBeyondTheLimit() throws Exception {
    processor.gate = new CountDownLatch(1);
    start(CONFIG.withMaxPaddingRatio(0.25));
    batcher.submit(List.of(new Req("first", 4)));
    awaitBatchTaken();
    List<CompletableFuture<String>> results =
        batcher.submit(List.of(new Req("a", 60), new Req("b", 14), new Req("c", 62), new Req("d", 15)));

    processor.gate.countDown();

    assertThat(join(results)).containsExactly("a@64", "b@16", "c@64", "d@16");
    assertThat(processor.batches.subList(1, processor.batches.size())).containsExactly(
        List.of(new Req("b", 14), new Req("d", 15)), List.of(new Req("a", 60), new Req("c", 62)));
  }

  @Test
  void withoutAPaddingLimitARoundFillsOneBatch() throws Exception {
    processor.gate = new CountDownLatch(1);
    start(CONFIG);
    batcher.submit(List.of(new Req("first", 4)));
    awaitBatchTaken();
    List<CompletableFuture<String>> results =
        batcher.submit(List.of(new Req("a", 60), new Req("b", 14), new Req("c", 62), new Req("d", 15)));

    processor.gate.countDown();

    assertThat(join(results)).containsExactly("a@64", "b@64", "c@64", "d@64");
  }

  @Test
  void aRequestOfSeveralSequencesCountsAllOfThemAgainstTheBatchSizeAndTheTokens() throws Exception {
    processor.gate = new CountDownLatch(1);
    batcher = new DynamicBatcher<>("test", CONFIG.withMaxBatchSize(4), processor, r -> r.id().startsWith("windows")
        ? new DynamicBatcher.Cost(3, r.length(), 3 * r.length() - 10) : DynamicBatcher.Cost.single(r.length()),
        registry);
    batcher.submit(List.of(new Req("first", 4)));
    awaitBatchTaken();
    List<CompletableFuture<String>> results = batcher.submit(List.of(new Req("windows-a", 60), new Req("b", 60),
        new Req("c", 60), new Req("windows-d", 60)));

    processor.gate.countDown();

    assertThat(join(results)).containsExactly("windows-a@64", "b@64", "c@64", "windows-d@64");
    assertThat(processor.batches.subList(1, processor.batches.size())).containsExactly(
        List.of(new Req("windows-a", 60), new Req("b", 60)), List.of(new Req("c", 60), new Req("windows-d", 60)));
    assertThat(registry.get("queststream.batcher.batch.size").summary().totalAmount()).isEqualTo(1 + 4 + 4);
    assertThat(registry.get("queststream.batcher.batch.tokens").summary().totalAmount())
        .isEqualTo(4 + (170 + 60) + (60 + 170));
    assertThat(registry.get("queststream.batcher.batch.padded.tokens").summary().totalAmount())
        .isEqualTo(16 + 4 * 64 + 4 * 64);
  }

  @Test
  void rejectsRequestsLongerThanTheLargestBucket() {
    start(CONFIG);
    assertThatThrownBy(() -> batcher.submit(List.of(new Req("huge", 129))))
        .isInstanceOf(RejectedException.class).hasMessageContaining("129 tokens");
  }

  @Test
  void warmsUpEveryBucketAtSingleAndWidestBatchBeforeServing() throws Exception {
    start(CONFIG.withWarmUp(true));
    batcher.awaitReady();

    assertThat(processor.warmUps).containsExactly("1x16", "1x16", "8x16", "8x16", "1x32", "1x32", "8x32", "8x32",
        "1x64", "1x64", "8x64", "8x64", "1x128", "1x128", "8x128", "8x128");
  }

  @Test
  void closingFailsWhatIsStillQueued() throws Exception {
    processor.gate = new CountDownLatch(1);
    start(CONFIG.withMaxBatchSize(1));
    batcher.submit(List.of(new Req("running", 4)));
    awaitBatchTaken();
    List<CompletableFuture<String>> queued = batcher.submit(List.of(new Req("queued", 4)));

    Thread closer = new Thread(() -> batcher.close(), "closer");
    closer.start();
    awaitWaitingForTheWorker(closer);
    processor.gate.countDown();

    assertThatThrownBy(() -> queued.get(0).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> batcher.submit(List.of(new Req("late", 4)))).isInstanceOf(RejectedException.class)
        .hasMessageContaining("closed");
  }

  /** Waits until close() has stopped the batcher and waits for its worker to finish the running round. */
  private static void awaitWaitingForTheWorker(Thread closer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closer.getState() != Thread.State.TIMED_WAITING && closer.getState() != Thread.State.WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("close() never waited for the worker: " + closer.getState());
      }
      Thread.sleep(5);
    }
  }

  /** Waits until the worker holds a batch in the (gated) processor, so later submissions stay queued. */
  private void awaitBatchTaken() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (registry.get("queststream.batcher.queue.depth").gauge().value() > 0 || !workerBusy()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("worker never took the first batch");
      }
      Thread.sleep(5);
    }
  }

  private boolean workerBusy() {
    return registry.get("queststream.batcher.queue.wait").timer().count() > 0;
  }

}
