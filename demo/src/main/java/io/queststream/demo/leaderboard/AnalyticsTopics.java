package io.queststream.demo.leaderboard;

import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.PolicyRatings;
import io.queststream.serde.RegistryAvroSerde;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** The streams app's analytics topics and how their records fold into {@link LeaderboardTables}. */
public final class AnalyticsTopics {

  public static final String LEADERBOARDS = "leaderboards";
  public static final String POLICY_RATINGS = "policy-ratings";
  public static final String DRIFT_ALERTS = "drift-alerts";
  public static final List<String> ALL = List.of(LEADERBOARDS, POLICY_RATINGS, DRIFT_ALERTS);

  private final Deserializer<LeaderboardEntry> entries;
  private final Deserializer<PolicyRatings> ratings;
  private final Deserializer<DriftAlert> alerts;

  public AnalyticsTopics(Map<String, ?> serdeConfig) {
    entries = deserializer(LeaderboardEntry.class, serdeConfig);
    ratings = deserializer(PolicyRatings.class, serdeConfig);
    alerts = deserializer(DriftAlert.class, serdeConfig);
  }

  private static <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type, Map<String, ?> config) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type);
    serde.configure(config, false);
    return serde.deserializer();
  }

  /** Folds one record of an analytics topic into the tables; false when the record is not from one of them. */
  public boolean fold(ConsumerRecord<byte[], byte[]> r, LeaderboardTables tables) {
    if (!ALL.contains(r.topic())) {
      return false;
    }
    if (r.value() != null) {
      switch (r.topic()) {
        case LEADERBOARDS -> tables.onEntry(entries.deserialize(r.topic(), r.value()));
        case POLICY_RATINGS -> tables.onRatings(ratings.deserialize(r.topic(), r.value()));
        default -> tables.onAlert(alerts.deserialize(r.topic(), r.value()));
      }
    }
    return true;
  }
}
