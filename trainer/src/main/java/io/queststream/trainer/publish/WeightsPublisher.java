package io.queststream.trainer.publish;

import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.CommittedTopicReader;
import io.queststream.serde.RegistryAvroSerde;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes weights versions to the compacted reward-weights topic, keyed by model name, one transaction per version so
 * read_committed consumers never see a half-published version; reads the topic back for the latest version.
 *
 * <p>The transactional id is stable (one per trainer, from configuration), so {@link #claim()} after a crash aborts
 * whatever transaction the dead incarnation left open and fences it: if it is still alive somewhere (a paused VM, a
 * network partition), its next transaction fails with {@link PublisherFencedException} instead of publishing.
 */
public final class WeightsPublisher implements AutoCloseable {


  private static final Logger LOG = LoggerFactory.getLogger(WeightsPublisher.class);

  private final String topic;
  private final String transactionalId;
  private final Map<String, Object> kafka;
  private final Map<String, Object> serde;
  private KafkaProducer<String, RewardHeads> producer;
  private boolean fenced;

  public WeightsPublisher(String topic, String transactionalId, Map<String, Object> kafka, Map<String, Object> serde) {
    this.topic = topic;
    this.transactionalId = transactionalId;
    this.kafka = Map.copyOf(kafka);
    this.serde = Map.copyOf(serde);
  }

  /**
   * Creates the topic compacted with large-message limits if it does not exist. It looks first, so that a trainer
   * with the least-privilege ACLs (Read and Write on the topic, no Create) publishes to a topic the platform made.
   */
  public void ensureTopic() {
    try (Admin admin = Admin.create(kafka)) {
      if (exists(admin)) {
        return;
      }
      NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(WeightsContract.topicConfig());
      admin.createTopics(List.of(t)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic, e);
    }
  }

  private boolean exists(Admin admin) throws ExecutionException, InterruptedException {
    try {
      admin.describeTopics(List.of(topic)).allTopicNames().get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  public String transactionalId() {
    return transactionalId;
  }

  /**
   * Takes the transactional id: completes or aborts the previous holder's open transaction and fences it. Read the
   * topic only after this returns to see every version the previous holder committed.
   */
  public synchronized void claim() {
    if (fenced) {
      throw new PublisherFencedException(transactionalId, topic, null);
    }
    if (producer == null) {
      producer = newProducer();
    }
  }

  /** True while this publisher holds the transactional id (claimed, and no failure since). */
  public synchronized boolean claimed() {
    return producer != null;
  }

  /**
   * Publishes one version in its own transaction. Any failure gives up the claim: the outcome of a failed commit is
   * unknown until the next {@link #claim()} settles it, so callers re-read the topic before publishing again.
   */
  public synchronized void publish(RewardHeads heads) {
    transaction(heads, List.of(new ProducerRecord<>(topic, heads.getModelName(), heads)));
  }

  /**
   * Publishes a candidate version under the model's candidate key (docs/shadow.md), replacing any candidate there;
   * scorers shadow it and serve on as before.
   */
  public synchronized void publishCandidate(RewardHeads candidate) {
    transaction(candidate, List.of(new ProducerRecord<>(topic, WeightsContract.candidateKey(candidate.getModelName()),
        candidate)));
  }

  /**
   * Promotes a shadowed candidate in one transaction: the version, published again as serving, and a tombstone under
   * the candidate key, so every scorer installs the one and stops shadowing at once.
   */
  public synchronized void promote(RewardHeads serving, List<String> reasons) {
    transaction(serving, List.of(new ProducerRecord<>(topic, serving.getModelName(), serving),
        withdrawal(serving.getModelName(), "promoted", serving.getVersion(), reasons)));
  }

  /** Discards the candidate: a tombstone under its key, the decision and its reasons in the record's headers. */
  public synchronized void discard(RewardHeads candidate, List<String> reasons) {
    transaction(candidate, List.of(withdrawal(candidate.getModelName(), "discarded", candidate.getVersion(),
        reasons)));
  }

  /** Header of a candidate tombstone: promoted or discarded. */
  public static final String DECISION_HEADER = "quest.shadow.decision";
  /** Header of a candidate tombstone: the candidate's version. */
  public static final String VERSION_HEADER = "quest.shadow.version";
  /** Header of a candidate tombstone: the reasons, one per line. */
  public static final String REASONS_HEADER = "quest.shadow.reasons";

  private ProducerRecord<String, RewardHeads> withdrawal(String modelName, String decision, long version,
      List<String> reasons) {
    ProducerRecord<String, RewardHeads> r = new ProducerRecord<>(topic, WeightsContract.candidateKey(modelName),
        null);
    r.headers().add(DECISION_HEADER, decision.getBytes(StandardCharsets.UTF_8));
    r.headers().add(VERSION_HEADER, Long.toString(version).getBytes(StandardCharsets.UTF_8));
    r.headers().add(REASONS_HEADER, String.join("\n", reasons).getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private void transaction(RewardHeads heads, List<ProducerRecord<String, RewardHeads>> records) {
    claim();
    try {
      producer.beginTransaction();
      for (ProducerRecord<String, RewardHeads> r : records) {
        producer.send(r).get();
      }
      LOG.info("committing {} v{} ({}) to {}", heads.getModelName(), heads.getVersion(), heads.getStatus(), topic);
      producer.commitTransaction();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      release();
      throw new IllegalStateException("interrupted publishing v" + heads.getVersion(), e);
    } catch (ExecutionException | RuntimeException e) {
      release();
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      // Brokers on transactions v2 (KIP-890) check the epoch on the produce request itself, so a takeover shows up
      // there as InvalidProducerEpochException rather than ProducerFencedException from the coordinator.
      if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
        fenced = true;
        throw new PublisherFencedException(transactionalId, topic, cause);
      }
      throw new IllegalStateException("publishing " + heads.getModelName() + " v" + heads.getVersion() + " failed: "
          + cause.getMessage(), e);
    }
  }

  private void release() {
    producer.close(Duration.ofSeconds(5));
    producer = null;
  }

  private KafkaProducer<String, RewardHeads> newProducer() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putAll(WeightsContract.producerLimits());
    RegistryAvroSerde<RewardHeads> values = new RegistryAvroSerde<>(RewardHeads.class);
    values.configure(serde, false);
    KafkaProducer<String, RewardHeads> prod = new KafkaProducer<>(p, new StringSerializer(), values.serializer());
    try {
      prod.initTransactions();
    } catch (RuntimeException e) {
      prod.close(Duration.ofSeconds(5));
      throw new IllegalStateException("cannot claim transactional id '" + transactionalId + "' on " + topic + ": "
          + e.getMessage(), e);
    }
    return prod;
  }

  /**
   * Every committed version of this model on the topic, oldest first (compaction may have removed older ones). Fails
   * rather than return a partial list when the topic cannot be read to its end in time.
   */
  public List<RewardHeads> readAll(String modelName, Duration timeout) {
    List<RewardHeads> all = readKey(modelName, timeout);
    all.removeIf(Objects::isNull);
    return all;
  }

  /** Every committed value under the key, oldest first, tombstones as nulls. */
  private List<RewardHeads> readKey(String key, Duration timeout) {
    Map<String, Object> c = new HashMap<>(kafka);
    c.putAll(WeightsContract.consumerLimits());
    RegistryAvroSerde<RewardHeads> values = new RegistryAvroSerde<>(RewardHeads.class);
    values.configure(serde, false);
    List<RewardHeads> out = new ArrayList<>();
    CommittedTopicReader.readToEnd(c, topic, values.deserializer(), timeout, r -> {
      if (key.equals(r.key())) {
        out.add(r.value());
      }
    });
    return out;
  }

  /**
   * The model's candidate as the topic stands: the last record under its candidate key, empty when there is none or
   * a tombstone withdrew it.
   */
  public Optional<RewardHeads> candidate(String modelName, Duration timeout) {
    List<RewardHeads> all = readKey(WeightsContract.candidateKey(modelName), timeout);
    return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.get(all.size() - 1));
  }

  public Optional<RewardHeads> latest(String modelName, Duration timeout) {
    return readAll(modelName, timeout).stream().reduce((a, b) -> a.getVersion() >= b.getVersion() ? a : b);
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
