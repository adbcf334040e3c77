package io.queststream.streams.topics;

import io.queststream.schemas.weights.WeightsContract;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the app's topics when they are missing. Cards, weights and moderation policies are compacted (latest value
 * per key is the state); the weights topic takes the weights contract's large records and has one partition, so
 * versions of a model stay in order.
 * Leaderboards and policy ratings are compacted too, and also deleted after the retention time: their keys name a
 * window, so every window adds keys that compaction alone would keep forever. With analytics on, the app also reads
 * the preferences and selections topics, so it creates those too. Existing topics are left as they are.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  public static List<NewTopic> plan(AppConfig config) {
    TopicNames t = config.topics();
    Optional<Integer> partitions = Optional.of(config.topicPartitions());
    Optional<Short> replication =
        config.topicReplicationFactor() < 1 ? Optional.empty() : Optional.of(config.topicReplicationFactor());
    Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    Map<String, String> windowed = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
    Map<String, String> weights = WeightsContract.topicConfig();
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(t.chatTurns(), partitions, replication));
    topics.add(new NewTopic(t.characterCards(), partitions, replication).configs(compacted));
    topics.add(new NewTopic(t.turnScores(), partitions, replication));
    topics.add(new NewTopic(t.moderationEvents(), partitions, replication));
    topics.add(new NewTopic(t.turnEmbeddings(), partitions, replication));
    topics.add(new NewTopic(t.rewardWeights(), Optional.of(1), replication).configs(weights));
    topics.add(new NewTopic(t.moderationPolicies(), partitions, replication).configs(compacted));
    topics.add(new NewTopic(t.shadowScores(), partitions, replication));
    topics.add(new NewTopic(t.deadLetters(), partitions, replication));
    if (config.analytics().enabled()) {
      topics.add(new NewTopic(t.turnPreferences(), partitions, replication));
      topics.add(new NewTopic(t.leaderboards(), partitions, replication).configs(windowed));
      topics.add(new NewTopic(t.policyRatings(), partitions, replication).configs(windowed));
      topics.add(new NewTopic(t.driftAlerts(), partitions, replication));
      topics.add(new NewTopic(t.turnSelections(), partitions, replication));
    }
    return topics;
  }

  public static void createMissing(Admin admin, AppConfig config) {
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = plan(config).stream().filter(n -> !existing.contains(n.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      admin.createTopics(missing).values().forEach((name, future) -> {
        try {
          future.get();
          LOG.info("Created topic {}", name);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(), e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
      });
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    }
  }
}
