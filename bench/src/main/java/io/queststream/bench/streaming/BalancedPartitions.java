package io.queststream.bench.streaming;

import io.queststream.schemas.ChatTurn;
import io.queststream.streams.topology.TurnValidator;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Conversations spread over partitions so that each partition (each task) gets about the same number of assistant
 * turns: the largest conversations first, each to the partition with the fewest so far. Hashing 20 conversation ids
 * leaves some tasks with three times the work of others, and the slowest task then decides the figure.
 */
final class BalancedPartitions {

  private BalancedPartitions() {}

  static Map<String, Integer> assign(List<ChatTurn> turns, int partitions) {
    Map<String, Long> assistantTurns = turns.stream()
        .filter(t -> TurnValidator.ASSISTANT.equals(t.getRole()))
        .collect(Collectors.groupingBy(ChatTurn::getConversationId, Collectors.counting()));
    long[] load = new long[partitions];
    Map<String, Integer> partitionOf = new HashMap<>();
    turns.stream().map(ChatTurn::getConversationId).distinct()
        .sorted(Comparator.comparingLong((String c) -> assistantTurns.getOrDefault(c, 0L)).reversed()
            .thenComparing(Comparator.naturalOrder()))
        .forEach(c -> {
          int least = 0;
          for (int p = 1; p < partitions; p++) {
            if (load[p] < load[least]) {
              least = p;
            }
          }
          partitionOf.put(c, least);
          load[least] += assistantTurns.getOrDefault(c, 0L);
        });
    return partitionOf;
  }

  /** Assistant turns per partition, for the report. */
  static long[] load(List<ChatTurn> turns, Map<String, Integer> partitionOf, int partitions) {
    long[] load = new long[partitions];
    turns.stream().filter(t -> TurnValidator.ASSISTANT.equals(t.getRole()))
        .forEach(t -> load[partitionOf.get(t.getConversationId())]++);
    return load;
  }
}
