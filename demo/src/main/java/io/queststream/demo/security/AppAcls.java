package io.queststream.demo.security;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege ACLs of each app, the same set as k8s/acls/*.sh (keep them in step): exactly what its data
 * path reads and writes, its Streams internal topics and transactional ids by prefix, no Create on shared topics.
 */
public final class AppAcls {

  private AppAcls() {}

  /**
   * The streams scoring app with its live analytics: principal {@code User:<user>}, application id
   * {@code applicationId}. The analytics run as application {@code <applicationId>-analytics}: their internal topics
   * and transactional ids fall under the same prefixes, their consumer group needs its own rule.
   */
  public static List<AclBinding> streamsApp(String user, String applicationId) {
    String principal = "User:" + user;
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : List.of("chat-turns", "character-cards", "reward-weights", "moderation-policies",
        "turn-scores", "moderation-events", "turn-preferences", "turn-selections")) {
      acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
    }
    for (String topic : List.of("turn-scores", "moderation-events", "turn-embeddings", "scoring-dlq", "leaderboards",
        "policy-ratings", "drift-alerts", "turn-preferences")) {
      acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
    }
    // The dead-letter topic's max.message.bytes, read at start: dead letters are cut to fit it.
    acls.add(allow(principal, ResourceType.TOPIC, "scoring-dlq", PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
    acls.add(allow(principal, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, AclOperation.ALL));
    acls.add(allow(principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
    acls.add(allow(principal, ResourceType.GROUP, applicationId + "-analytics", PatternType.LITERAL,
        AclOperation.READ));
    acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED,
        AclOperation.WRITE));
    acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED,
        AclOperation.DESCRIBE));
    return acls;
  }

  /** The trainer: principal {@code User:<user>}, consumer groups and transactional ids under {@code prefix}. */
  public static List<AclBinding> trainer(String user, String prefix) {
    String principal = "User:" + user;
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : List.of("turn-ratings", "turn-preferences", "turn-embeddings", "reward-weights")) {
      acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
    }
    for (String topic : List.of("reward-weights", "trainer-dlq")) {
      acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
    }
    acls.add(allow(principal, ResourceType.TOPIC, "trainer-dlq", PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
    acls.add(allow(principal, ResourceType.GROUP, prefix, PatternType.PREFIXED, AclOperation.READ));
    acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, prefix + "-", PatternType.PREFIXED, AclOperation.WRITE));
    acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, prefix + "-", PatternType.PREFIXED,
        AclOperation.DESCRIBE));
    return acls;
  }

  private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
      AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }
}
