package io.queststream.model.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.config.BatcherConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batcher of several workers: batches side by side, each worker on its own processor and thread. */
class BatcherWorkersTest {

  /** Records what it ran and on which threads; may wait at a barrier shared with the other workers' processors. */
  static final class WorkerProcessor implements BatchProcessor<String, String> {
    final List<String> ran = new CopyOnWriteArrayList<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final List<String> warmUps = new CopyOnWriteArrayList<>();
    private final CyclicBarrier together;
    private final CountDownLatch gate;

    WorkerProcessor(CyclicBarrier together, CountDownLatch gate) {
      this.together = together;
      this.gate = gate;
    }

    @Override
    public List<String> process(List<String> items, int paddedLength) throws Exception {
      threads.add(Thread.currentThread().getName());
      gate.await();
      if (together != null) {
        // Only returns when another worker is inside a batch at the same moment.
        together.await(30, TimeUnit.SECONDS);
      }
      ran.addAll(items);
      return items.stream().map(i -> i + " by " + Thread.currentThread().getName()).toList();
    }

    @Override
    public void warmUp(int batchSize, int paddedLength) {
      threads.add(Thread.currentThread().getName());
      warmUps.add(batchSize + "x" + paddedLength);
    }
  }

  private static final BatcherConfig ONE_PER_BATCH = new BatcherConfig(1, 64, Duration.ofMillis(5), 64,
      Duration.ofSeconds(10), List.of(16), false, 1.0, 2);

  private final List<WorkerProcessor> processors = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private DynamicBatcher<String, String> batcher;

  private DynamicBatcher<String, String> start(BatcherConfig config, CyclicBarrier together) {
    batcher = new DynamicBatcher<>("test", config, () -> {
      WorkerProcessor p = new WorkerProcessor(together, gate);
      processors.add(p);
      return p;
    }, s -> DynamicBatcher.Cost.single(8), new SimpleMeterRegistry());
    return batcher;
  }

  @AfterEach
  void stop() {
    gate.countDown();
    if (batcher != null) {
      batcher.close();
    }
  }

  @Test
  void givenTwoWorkers_whenTwoBatchesAreQueued_thenTheyRunAtTheSameTimeOnTwoThreads() throws Exception {
    start(ONE_PER_BATCH, new CyclicBarrier(2));
    gate.countDown();

    List<CompletableFuture<String>> results = batcher.submit(List.of("a", "b"));

    List<String> answers = new ArrayList<>();
    for (CompletableFuture<String> f : results) {
      answers.add(f.get(60, TimeUnit.SECONDS));
    }
    assertThat(answers.get(0)).startsWith("a by batcher-test-");
    assertThat(answers.get(1)).startsWith("b by batcher-test-");
    assertThat(answers.get(0).substring(5)).isNotEqualTo(answers.get(1).substring(5));
    assertThat(processors).hasSize(2).allSatisfy(p -> assertThat(p.ran).hasSize(1));
  }

  @Test
  void givenTwoWorkers_whenManyCallersSubmit_thenEachRequestRunsOnceAndEachProcessorStaysOnItsThread()
      throws Exception {
    start(ONE_PER_BATCH.withMaxBatchSize(4).withTokenBudget(64), null);
    gate.countDown();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    List<Future<List<String>>> calls = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int caller = c;
      calls.add(callers.submit(() -> {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          answers.add(batcher.submit(List.of(caller + "-" + i)).get(0).get(60, TimeUnit.SECONDS));
        }
        return answers;
      }));
    }
    for (int c = 0; c < 8; c++) {
      List<String> answers = calls.get(c).get(120, TimeUnit.SECONDS);
      for (int i = 0; i < 50; i++) {
        assertThat(answers.get(i)).startsWith(c + "-" + i + " by batcher-test-");
      }
    }
    callers.shutdown();

    List<String> ran = new ArrayList<>();
    processors.forEach(p -> ran.addAll(p.ran));
    assertThat(ran).hasSize(400).doesNotHaveDuplicates();
    assertThat(processors).hasSize(2).allSatisfy(p -> assertThat(p.threads).hasSizeLessThanOrEqualTo(1));
    Set<String> threads = new HashSet<>();
    processors.forEach(p -> threads.addAll(p.threads));
    assertThat(threads).isSubsetOf("batcher-test-1", "batcher-test-2");
  }

  @Test
  void givenTwoWorkersAndWarmUp_whenReady_thenEachProcessorWarmedUpOnItsOwnWorker() throws Exception {
    start(ONE_PER_BATCH.withWarmUp(true), null);

    batcher.awaitReady();

    assertThat(processors).hasSize(2).allSatisfy(p -> assertThat(p.warmUps).containsExactly("1x16", "1x16"));
    assertThat(processors.get(0).threads).containsExactly("batcher-test-1");
    assertThat(processors.get(1).threads).containsExactly("batcher-test-2");
  }

  @Test
  void givenBusyWorkers_whenClosed_thenEveryRequestEitherRanOnceOrFailedAsClosed() throws Exception {
    start(ONE_PER_BATCH, null);
    List<CompletableFuture<String>> results = batcher.submit(List.of("a", "b", "c", "d", "e", "f"));
    while (!processors.stream().allMatch(p -> !p.threads.isEmpty())) {
      Thread.sleep(10); // both workers inside a batch, held at the gate
    }
    Thread closer = new Thread(batcher::close);
    closer.start();
    while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
      Thread.sleep(10); // close() is waiting for the collector
    }
    gate.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(60));

    List<String> ran = new ArrayList<>();
    processors.forEach(p -> ran.addAll(p.ran));
    List<String> answered = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      String id = List.of("a", "b", "c", "d", "e", "f").get(i);
      try {
        results.get(i).get(1, TimeUnit.SECONDS);
        answered.add(id);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(RejectedException.class).hasMessageContaining("closed");
        closed.add(id);
      }
    }
    assertThat(answered).containsExactlyInAnyOrderElementsOf(ran).contains("a", "b");
    assertThat(answered.size() + closed.size()).isEqualTo(6);
  }

  @Test
  void givenOneProcessorForTwoWorkers_whenBuilt_thenRefused() {
    WorkerProcessor shared = new WorkerProcessor(null, gate);

    assertThatThrownBy(() -> new DynamicBatcher<String, String>("test", ONE_PER_BATCH, shared,
        s -> DynamicBatcher.Cost.single(8), new SimpleMeterRegistry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("one processor serves one worker; 2 workers need a processor each");
  }
}
