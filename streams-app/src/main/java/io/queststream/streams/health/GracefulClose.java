package io.queststream.streams.health;

import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;

/**
 * How a Kafka Streams instance of this app closes: within the shutdown timeout, and leaving its consumer group.
 * Kafka Streams stays in the group on close by default, which suits static membership (an instance that comes back
 * under the same {@code group.instance.id} keeps its tasks). These apps use dynamic membership: a member that stays
 * would hold its partitions, unscored, until the broker's session timeout (45 s by default) expired it, and a
 * rolling restart would stall each partition that long. Leaving hands them to the other instances at once.
 */
public final class GracefulClose {

  private GracefulClose() {}

  public static CloseOptions options(Duration timeout) {
    return CloseOptions.timeout(timeout)
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
  }
}
