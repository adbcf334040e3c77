package io.queststream.streams.topology;

import io.queststream.model.api.RewardScorer;
import io.queststream.schemas.ChatTurn;
import io.queststream.streams.config.HistoryConfig;
import io.queststream.streams.history.ConversationContext;
import io.queststream.streams.history.ConversationHistory;
import io.queststream.streams.history.HistoryMessage;
import io.queststream.streams.history.ScoringTask;
import io.queststream.streams.metrics.ScoringMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each conversation's history in a changelogged store. User and system turns only update it; an assistant
 * turn is forwarded with the context it answers, then becomes part of the history. A wall-clock punctuator forgets
 * conversations that have been idle longer than the configured expiry.
 */
public final class ConversationHistoryProcessor implements Processor<String, ChatTurn, String, ScoringTask> {

  private final String storeName;
  private final HistoryConfig limits;
  private final RewardScorer scorer;
  private final ScoringMetrics metrics;
  private ProcessorContext<String, ScoringTask> context;
  private KeyValueStore<String, ConversationHistory> store;

  public ConversationHistoryProcessor(String storeName, HistoryConfig limits, RewardScorer scorer,
      ScoringMetrics metrics) {
    this.storeName = storeName;
    this.limits = limits;
    this.scorer = scorer;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, ScoringTask> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    context.schedule(limits.expiryScanInterval(), PunctuationType.WALL_CLOCK_TIME, this::expireIdle);
  }

  @Override
  public void process(Record<String, ChatTurn> record) {
    ChatTurn turn = record.value();
    ConversationHistory history = store.get(record.key());
    if (history == null) {
      history = ConversationHistory.empty();
    }
    // Measured before anything is forwarded: a turn the tokenizer fails on then fails here alone and yields one
    // dead letter, instead of a second one after the scorer downstream has already failed on it.
    HistoryMessage message = new HistoryMessage(turn.getTurnId(), turn.getRole(), turn.getText(),
        scorer.messageTokens(turn.getText()), turn.getParentTurnId());
    if (TurnValidator.ASSISTANT.equals(turn.getRole())) {
      ConversationContext ctx = history.contextFor(turn.getParentTurnId());
      if (ctx.parentMissing()) {
        metrics.parentMissing();
      }
      context.forward(record.withValue(new ScoringTask(turn, ctx, null)));
    }
    store.put(record.key(), history.append(message, context.currentSystemTimeMs(), limits));
  }

  private void expireIdle(long nowMs) {
    List<String> idle = new ArrayList<>();
    try (KeyValueIterator<String, ConversationHistory> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, ConversationHistory> kv = it.next();
        if (kv.value.idleSince(nowMs, limits.idleExpiry().toMillis())) {
          idle.add(kv.key);
        }
      }
    }
    idle.forEach(store::delete);
    if (!idle.isEmpty()) {
      metrics.conversationsExpired(idle.size());
    }
  }
}
