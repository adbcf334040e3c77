package io.queststream.demo.chaos;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.trainer.support.SyntheticFeedback;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the trainer feedback of {@link SyntheticFeedback} (a known linear reward model over small synthetic
 * embeddings: per context two responses, a rating of each and a preference for the better one) to the feedback
 * topics. Cheap to make, so a crash test can feed a trainer without a backbone.
 */
final class SyntheticFeedbackFeed implements AutoCloseable {

  static final List<String> ATTRIBUTES = SyntheticFeedback.ATTRIBUTES;

  private final String backboneId;
  private final SyntheticFeedback model;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final List<Long> foreignOffsets = new ArrayList<>();
  private final Map<Integer, List<ProducerRecord<String, SpecificRecord>>> feedbackByContext = new HashMap<>();
  private int contexts;
  private int records;
  private int duplicates;

  SyntheticFeedbackFeed(String bootstrap, String registryUrl, String backboneId, int dim, long seed) {
    this.backboneId = backboneId;
    this.model = new SyntheticFeedback(dim, seed);
    RegistryAvroSerde<SpecificRecord> values = RegistryAvroSerde.anyOf(TurnEmbedding.class, AttributeRating.class,
        PreferencePair.class);
    values.configure(Map.of("schema.registry.url", registryUrl), false);
    Serializer<SpecificRecord> serializer = values.serializer();
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new StringSerializer(), serializer);
  }

  /** Sends context {@code c}: both responses' embeddings, then their ratings and the preference between them. */
  void sendContext(int c) {
    String ctx = "ctx" + c;
    SyntheticFeedback.Context context = model.context(ctx);
    for (TurnEmbedding e : context.embeddings()) {
      send("turn-embeddings", e.getTurnId(), stamped(e, backboneId));
    }
    List<ProducerRecord<String, SpecificRecord>> feedback = new ArrayList<>();
    for (AttributeRating r : context.ratings()) {
      r.setSource("synthetic");
      r.setCreatedAt(Instant.now());
      feedback.add(new ProducerRecord<>("turn-ratings", r.getTurnId(), r));
    }
    PreferencePair pair = context.pair();
    pair.setContextId(ctx);
    pair.setSource("synthetic");
    pair.setCreatedAt(Instant.now());
    feedback.add(new ProducerRecord<>("turn-preferences", ctx, pair));
    for (ProducerRecord<String, SpecificRecord> r : feedback) {
      send(r.topic(), r.key(), r.value());
    }
    feedbackByContext.put(c, feedback);
    producer.flush();
    contexts++;
  }

  /** Sends context {@code c}'s ratings and preference again, unchanged, as an at-least-once producer would. */
  void resendFeedbackOf(int c) {
    for (ProducerRecord<String, SpecificRecord> r : feedbackByContext.get(c)) {
      producer.send(r);
      duplicates++;
    }
    producer.flush();
  }

  /** Sends a turn embedded by another backbone with the same dimension: the trainer must not train on it. */
  void sendForeignEmbedding(int i) throws ExecutionException, InterruptedException {
    TurnEmbedding e = stamped(model.context("foreign-" + i).embeddings().get(0), "another-backbone");
    RecordMetadata m = producer.send(new ProducerRecord<>("turn-embeddings", e.getTurnId(), e)).get();
    foreignOffsets.add(m.offset());
  }

  private static TurnEmbedding stamped(TurnEmbedding e, String backbone) {
    e.setBackboneId(backbone);
    e.setCreatedAt(Instant.now());
    return e;
  }

  private void send(String topic, String key, SpecificRecord value) {
    producer.send(new ProducerRecord<>(topic, key, value));
    records++;
  }

  int contexts() {
    return contexts;
  }

  /** Distinct feedback records sent (embeddings, ratings, pairs), not counting repeats and foreign embeddings. */
  int records() {
    return records;
  }

  int duplicates() {
    return duplicates;
  }

  List<Long> foreignOffsets() {
    return List.copyOf(foreignOffsets);
  }

  @Override
  public void close() {
    producer.close();
  }
}
