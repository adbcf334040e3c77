package io.queststream.demo.chaos;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.codec.Matrices;
import io.queststream.serde.RegistryAvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Trainer feedback drawn from a known linear reward model over small synthetic embeddings: per context two responses
 * (turn embeddings), a rating of each and a preference for the better one. Cheap to make, so a crash test can feed
 * a trainer without a backbone.
 */
final class SyntheticFeedbackFeed implements AutoCloseable {

  static final List<String> ATTRIBUTES = List.of("creativity", "engagement");

  private final String backboneId;
  private final int dim;
  private final Random rnd;
  private final double[][] w;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final List<Long> foreignOffsets = new ArrayList<>();
  private final Map<Integer, List<ProducerRecord<String, SpecificRecord>>> feedbackByContext = new HashMap<>();
  private int contexts;
  private int records;
  private int duplicates;

  SyntheticFeedbackFeed(String bootstrap, String registryUrl, String backboneId, int dim, long seed) {
    this.backboneId = backboneId;
    this.dim = dim;
    this.rnd = new Random(seed);
    this.w = new double[ATTRIBUTES.size()][dim];
    for (double[] row : w) {
      for (int c = 0; c < dim; c++) {
        row[c] = rnd.nextGaussian() * 0.3;
      }
    }
    RegistryAvroSerde<SpecificRecord> values = RegistryAvroSerde.anyOf(TurnEmbedding.class, AttributeRating.class,
        PreferencePair.class);
    values.configure(Map.of("schema.registry.url", registryUrl), false);
    Serializer<SpecificRecord> serializer = values.serializer();
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new StringSerializer(), serializer);
  }

  /** Sends context {@code c}: both responses' embeddings, then their ratings and the preference between them. */
  void sendContext(int c) throws ExecutionException, InterruptedException {
    String ctx = "ctx" + c;
    float[] prompt = gaussian();
    double[] scores = new double[2];
    List<ProducerRecord<String, SpecificRecord>> feedback = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String turn = ctx + "-" + (char) ('a' + i);
      float[] response = gaussian();
      double[] r = rewards(response);
      scores[i] = r[0] + r[1];
      send("turn-embeddings", turn, embedding(turn, ctx, backboneId, prompt, response));
      feedback.add(new ProducerRecord<>("turn-ratings", turn, AttributeRating.newBuilder().setRatingId(turn + "-r")
          .setTurnId(turn).setRatings(Map.of(ATTRIBUTES.get(0), toScale(r[0]), ATTRIBUTES.get(1), toScale(r[1])))
          .setSource("synthetic").setCreatedAt(Instant.now()).build()));
    }
    boolean aWins = scores[0] > scores[1];
    feedback.add(new ProducerRecord<>("turn-preferences", ctx, PreferencePair.newBuilder().setPairId(ctx + "-p")
        .setContextId(ctx).setChosenTurnId(ctx + (aWins ? "-a" : "-b")).setRejectedTurnId(ctx + (aWins ? "-b" : "-a"))
        .setSource("synthetic").setCreatedAt(Instant.now()).build()));
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
    String turn = "foreign-" + i;
    RecordMetadata m = producer.send(new ProducerRecord<>("turn-embeddings", turn,
        embedding(turn, "foreign", "another-backbone", gaussian(), gaussian()))).get();
    foreignOffsets.add(m.offset());
  }

  private void send(String topic, String key, SpecificRecord value) {
    producer.send(new ProducerRecord<>(topic, key, value));
    records++;
  }

  private TurnEmbedding embedding(String turn, String ctx, String backbone, float[] prompt, float[] response) {
    return TurnEmbedding.newBuilder().setTurnId(turn).setConversationId("conv-" + ctx).setParentTurnId(ctx)
        .setPolicyModel("policy-a").setBackboneId(backbone).setEmbeddingDim(dim)
        .setPromptEmbedding(Matrices.row(prompt)).setResponseEmbedding(Matrices.row(response))
        .setPromptTokens(10).setResponseTokens(20 + rnd.nextInt(200)).setCreatedAt(Instant.now()).build();
  }

  private static float toScale(double r) {
    return (float) (1 + 9 / (1 + Math.exp(-r)));
  }

  private double[] rewards(float[] h) {
    double[] r = new double[w.length];
    for (int k = 0; k < w.length; k++) {
      for (int c = 0; c < dim; c++) {
        r[k] += w[k][c] * h[c];
      }
    }
    return r;
  }

  /** Gaussian features plus a constant one, like the shared mean direction of real sentence embeddings. */
  private float[] gaussian() {
    float[] v = new float[dim];
    for (int i = 0; i < dim - 1; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    v[dim - 1] = 1;
    return v;
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
