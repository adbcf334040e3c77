package io.queststream.model.batching;

import io.micrometer.core.instrument.MeterRegistry;
import io.queststream.model.config.BatcherConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges requests from any number of threads into device batches. One collector thread forms the batches; with one
 * worker (the default: one device is best fed by one stream of large batches) it runs them too, with several it
 * hands each batch to the next free worker, each with its own processor (per-batch state, such as the heads'
 * device copy, is not shared between threads).
 *
 * <p>The collector waits for the first request, then up to {@code maxWait} for enough company to fill a batch, takes
 * whatever else is queued (up to a few batches' worth), sorts it by length and cuts it into batches bounded by the
 * batch size, the padded-token budget and the padding share: neighbours in length share a batch, so little of each
 * batch is padding.
 * Everything taken runs in that round, so no request waits behind later ones. The queue is bounded: submitters block
 * while it is full and are rejected after the submit timeout ({@link #trySubmit} is rejected at once instead), so
 * memory never grows without bound. A batch of several requests that throws is run again one request at a time: a
 * request that cannot run (say, one the device rejects) fails alone and never takes requests of other callers that
 * shared its batch with it.
 *
 * <p>A request queued with {@link #trySubmitAlone} runs in a batch of its own, whatever else is queued.
 *
 * <p>A request may be several sequences (a long turn read in windows): it counts its sequences against the batch
 * size, its longest sequence for the padded length, and the tokens of all its sequences; its sequences always run
 * in the same batch.
 *
 * @param <I> a request (one sequence)
 * @param <O> its result
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
  /** How many batches' worth of queued requests one round sorts together. */
  private static final int WINDOW_BATCHES = 4;

  /**
   * What one request costs a batch.
   *
   * @param sequences rows it adds to the batch
   * @param longest its longest sequence, which sets the padded length
   * @param tokens real tokens of all its sequences
   */
  public record Cost(int sequences, int longest, int tokens) {

    /** A request that is one sequence of {@code length} tokens. */
    public static Cost single(int length) {
      return new Cost(1, length, length);
    }
  }

  /** @param alone runs in a device batch of its own ({@link #trySubmitAlone}) */
  private record Pending<I, O>(I item, Cost cost, long enqueuedNanos, CompletableFuture<O> result, boolean alone) {

    int length() {
      return cost.longest();
    }
  }

  private final String name;
  private final BatcherConfig config;
  private final Function<I, Cost> costOf;
  private final BlockingQueue<Pending<I, O>> queue;
  private final BatcherMetrics metrics;
  /** Batches on their way from the collector to a free worker; null when the collector runs them itself. */
  private final SynchronousQueue<List<Pending<I, O>>> handoff;
  private final Thread collector;
  private final List<Thread> workers = new ArrayList<>();
  private final CountDownLatch ready;
  /** When each worker's model call now running began (System.nanoTime), by worker thread. */
  private final Map<Thread, Long> runningCalls = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile boolean collecting = true;

  /** A batcher of one worker, which runs {@code processor}. */
  public DynamicBatcher(String name, BatcherConfig config, BatchProcessor<I, O> processor, Function<I, Cost> costOf,
      MeterRegistry registry) {
    this(name, config, single(config, processor), costOf, registry);
  }

  /**
   * A batcher of {@code config.workers()} workers, each running its own processor from {@code processors} (called
   * once per worker, here).
   */
  public DynamicBatcher(String name, BatcherConfig config, Supplier<? extends BatchProcessor<I, O>> processors,
      Function<I, Cost> costOf, MeterRegistry registry) {
    this.name = name;
    this.config = config;
    this.costOf = costOf;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.metrics = new BatcherMetrics(registry, name, queue);
    this.ready = new CountDownLatch(config.workers());
    if (config.workers() == 1) {
      BatchProcessor<I, O> processor = processors.get();
      this.handoff = null;
      this.collector = new Thread(() -> collect(processor), "batcher-" + name);
    } else {
      this.handoff = new SynchronousQueue<>();
      this.collector = new Thread(() -> collect(null), "batcher-" + name);
      for (int i = 1; i <= config.workers(); i++) {
        BatchProcessor<I, O> processor = processors.get();
        Thread worker = new Thread(() -> work(processor), "batcher-" + name + "-" + i);
        worker.setDaemon(true);
        workers.add(worker);
      }
    }
    this.collector.setDaemon(true);
    LOG.info("batcher {}: {} worker{}, batches of up to {} sequences and {}% padding, max wait {} ms", name,
        config.workers(), config.workers() == 1 ? "" : "s", config.maxBatchSize(),
        Math.round(100 * config.maxPaddingRatio()), config.maxWait().toMillis());
    workers.forEach(Thread::start);
    this.collector.start();
  }

  private static <I, O> Supplier<BatchProcessor<I, O>> single(BatcherConfig config, BatchProcessor<I, O> processor) {
    if (config.workers() != 1) {
      throw new IllegalArgumentException("one processor serves one worker; " + config.workers()
          + " workers need a processor each");
    }
    return () -> processor;
  }

  /** Blocks until warm-up (when configured) is over; requests submitted meanwhile wait in the queue. */
  public void awaitReady() throws InterruptedException {
    ready.await();
  }

  /**
   * Queues the items, blocking while the queue is full; results complete as their batches finish.
   *
   * @throws RejectedException when the queue stays full for the submit timeout, an item is longer than the largest
   *     bucket, or the batcher is closed; items of this call queued before the rejection are cancelled
   */
  public List<CompletableFuture<O>> submit(List<I> items) throws RejectedException, InterruptedException {
    List<CompletableFuture<O>> results = new ArrayList<>(items.size());
    long deadline = System.nanoTime() + config.submitTimeout().toNanos();
    for (I item : items) {
      Cost cost = costOf.apply(item);
      int length = cost.longest();
      if (length > config.largestBucket()) {
        cancelAll(results);
        throw new RejectedException("a request of " + length + " tokens exceeds the largest sequence bucket "
            + config.largestBucket());
      }
      if (!running) {
        cancelAll(results);
        throw new RejectedException("batcher " + name + " is closed");
      }
      Pending<I, O> p = new Pending<>(item, cost, System.nanoTime(), new CompletableFuture<>(), false);
      if (!queue.offer(p, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        metrics.rejected.increment();
        cancelAll(results);
        throw new RejectedException("batcher " + name + " queue stayed full (" + config.queueCapacity()
            + " requests) for " + config.submitTimeout().toMillis() + " ms");
      }
      results.add(p.result());
      if (!running) {
        failQueued();
      }
    }
    return results;
  }

  /**
   * Queues the items only if the queue has room for all of them now, without blocking: for callers that must not
   * wait. An item longer than the largest bucket fails its own future; the others are queued.
   *
   * @throws RejectedException when the queue has no room for all of them or the batcher is closed; nothing is queued
   */
  public List<CompletableFuture<O>> trySubmit(List<I> items) throws RejectedException {
    return trySubmit(items, false);
  }

  /**
   * Queues one item, as {@link #trySubmit} does, to run in a device batch of its own, never with other requests: for
   * a request suspected of ending the process, so that whatever its call does happens to it alone.
   *
   * @throws RejectedException when the queue is full or the batcher is closed; nothing is queued then
   */
  public CompletableFuture<O> trySubmitAlone(I item) throws RejectedException {
    return trySubmit(List.of(item), true).get(0);
  }

  private List<CompletableFuture<O>> trySubmit(List<I> items, boolean alone) throws RejectedException {
    if (!running) {
      throw new RejectedException("batcher " + name + " is closed");
    }
    if (queue.remainingCapacity() < items.size()) {
      metrics.rejected.increment(items.size());
      throw new RejectedException("batcher " + name + " queue has room for " + queue.remainingCapacity()
          + " of " + items.size() + " requests");
    }
    List<CompletableFuture<O>> results = new ArrayList<>(items.size());
    for (I item : items) {
      Cost cost = costOf.apply(item);
      int length = cost.longest();
      Pending<I, O> p = new Pending<>(item, cost, System.nanoTime(), new CompletableFuture<>(), alone);
      results.add(p.result());
      if (length > config.largestBucket()) {
        p.result().completeExceptionally(new IllegalArgumentException("a request of " + length
            + " tokens exceeds the largest sequence bucket " + config.largestBucket()));
      } else if (!queue.offer(p)) {
        // Another caller took the room between the check and now.
        cancelAll(results);
        metrics.rejected.increment(items.size());
        throw new RejectedException("batcher " + name + " queue filled up while " + items.size()
            + " requests were queued");
      }
    }
    if (!running) {
      failQueued();
    }
    return results;
  }

  /** True when no request waits in the queue: one submitted now goes into the next batch. */
  public boolean queueEmpty() {
    return queue.isEmpty();
  }

  private static <O> void cancelAll(List<CompletableFuture<O>> results) {
    results.forEach(f -> f.cancel(false));
  }

  /** The collector's loop; {@code processor} runs the batches here, or null when workers run them. */
  private void collect(BatchProcessor<I, O> processor) {
    if (processor != null) {
      prepare(processor);
    }
    try {
      while (running) {
        List<Pending<I, O>> window = collectWindow();
        if (!window.isEmpty()) {
          runRound(window, processor);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      collecting = false;
      failQueued();
    }
  }

  /** A worker's loop: batches from the collector until it has stopped and handed over its last one. */
  private void work(BatchProcessor<I, O> processor) {
    prepare(processor);
    try {
      while (true) {
        List<Pending<I, O>> batch = handoff.poll(100, TimeUnit.MILLISECONDS);
        if (batch != null) {
          runBatch(processor, batch);
        } else if (!collecting) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void prepare(BatchProcessor<I, O> processor) {
    processor.onWorkerStart();
    try {
      if (config.warmUp()) {
        warmUp(processor);
      }
    } finally {
      ready.countDown();
    }
  }

  private void warmUp(BatchProcessor<I, O> processor) {
    for (int bucket : config.sequenceBuckets()) {
      int widest = Math.max(1, Math.min(config.maxBatchSize(), config.tokenBudget() / bucket));
      for (int size : widest == 1 ? List.of(1) : List.of(1, widest)) {
        try {
          long start = System.nanoTime();
          processor.warmUp(size, bucket);
          processor.warmUp(size, bucket);
          LOG.info("batcher {} warmed up batch {} x {} tokens in {} ms", name, size, bucket,
              (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
          LOG.warn("batcher {} warm-up of batch {} x {} tokens failed: {}", name, size, bucket, e.toString());
        }
      }
    }
  }

  /** The first request, then more until a batch is full or the first has waited maxWait, then what is queued. */
  private List<Pending<I, O>> collectWindow() throws InterruptedException {
    List<Pending<I, O>> window = new ArrayList<>();
    Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
    if (first == null) {
      return window;
    }
    window.add(first);
    long deadline = first.enqueuedNanos() + config.maxWait().toNanos();
    int longest = first.length();
    int sequences = first.cost().sequences();
    while (sequences < config.maxBatchSize()
        && (long) sequences * config.bucketFor(longest) < config.tokenBudget()) {
      long left = deadline - System.nanoTime();
      Pending<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
      if (next == null) {
        break;
      }
      window.add(next);
      longest = Math.max(longest, next.length());
      sequences += next.cost().sequences();
    }
    queue.drainTo(window, Math.max(0, WINDOW_BATCHES * config.maxBatchSize() - window.size()));
    window.removeIf(p -> p.result().isDone());
    return window;
  }

  /** Cuts the window into batches and runs each here ({@code processor}) or hands it to the next free worker. */
  private void runRound(List<Pending<I, O>> window, BatchProcessor<I, O> processor) throws InterruptedException {
    window.sort(Comparator.comparingInt(Pending::length));
    List<List<Pending<I, O>>> batches = new ArrayList<>();
    List<Pending<I, O>> batch = new ArrayList<>();
    long realTokens = 0;
    int sequences = 0;
    for (Pending<I, O> p : window) {
      if (p.alone()) {
        batches.add(List.of(p));
        continue;
      }
      Cost cost = p.cost();
      long padded = (long) (sequences + cost.sequences()) * config.bucketFor(p.length());
      boolean fits = sequences + cost.sequences() <= config.maxBatchSize() && padded <= config.tokenBudget()
          && 1.0 - (double) (realTokens + cost.tokens()) / padded <= config.maxPaddingRatio();
      if (!fits && !batch.isEmpty()) {
        batches.add(batch);
        batch = new ArrayList<>();
        realTokens = 0;
        sequences = 0;
      }
      batch.add(p);
      realTokens += cost.tokens();
      sequences += cost.sequences();
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    if (processor != null) {
      batches.forEach(b -> runBatch(processor, b));
      return;
    }
    for (int i = 0; i < batches.size(); i++) {
      try {
        handoff.put(batches.get(i));
      } catch (InterruptedException e) {
        batches.subList(i, batches.size()).forEach(this::failClosed);
        throw e;
      }
    }
  }

  private void runBatch(BatchProcessor<I, O> processor, List<Pending<I, O>> batch) {
    if (batch.isEmpty()) {
      return;
    }
    int longest = batch.get(batch.size() - 1).length();
    int padded = config.bucketFor(longest);
    int realTokens = 0;
    int sequences = 0;
    long start = System.nanoTime();
    List<I> items = new ArrayList<>(batch.size());
    for (Pending<I, O> p : batch) {
      items.add(p.item());
      realTokens += p.cost().tokens();
      sequences += p.cost().sequences();
      metrics.queueWait.record(start - p.enqueuedNanos(), TimeUnit.NANOSECONDS);
    }
    try {
      List<O> outputs;
      runningCalls.put(Thread.currentThread(), start);
      try {
        outputs = processor.process(items, padded);
      } finally {
        // Before the results complete, so that a caller holding a result sees the call ended.
        runningCalls.remove(Thread.currentThread());
      }
      if (outputs.size() != batch.size()) {
        throw new IllegalStateException("batch of " + batch.size() + " produced " + outputs.size() + " results");
      }
      metrics.recordBatch(sequences, realTokens, padded * sequences, System.nanoTime() - start);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(outputs.get(i));
      }
    } catch (Exception | LinkageError e) {
      metrics.failedBatches.increment();
      if (batch.size() > 1) {
        LOG.warn("batcher {}: batch of {} failed ({}); running its requests one at a time", name, batch.size(),
            e.toString());
        batch.forEach(p -> runBatch(processor, List.of(p)));
        return;
      }
      LOG.warn("batcher {}: request failed on its own: {}", name, e.toString());
      batch.get(0).result().completeExceptionally(e);
    }
  }

  /**
   * How long the oldest model call now running has run; empty when no call runs. A call that never returns (a wedged
   * native runtime or device) keeps its turns in flight for ever and shows here as an ever longer call.
   */
  public Optional<Duration> longestRunningCall() {
    long now = System.nanoTime();
    return runningCalls.values().stream().min(Long::compare).map(start -> Duration.ofNanos(now - start));
  }

  private void failQueued() {
    List<Pending<I, O>> left = new ArrayList<>();
    queue.drainTo(left);
    failClosed(left);
  }

  private void failClosed(List<Pending<I, O>> pending) {
    RejectedException closed = new RejectedException("batcher " + name + " closed before the request ran");
    pending.forEach(p -> p.result().completeExceptionally(closed));
  }

  /** Stops taking requests, lets the running round finish, fails what is still queued. */
  @Override
  public void close() {
    running = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<Thread> threads = new ArrayList<>(workers);
    threads.add(0, collector);
    try {
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }
}
