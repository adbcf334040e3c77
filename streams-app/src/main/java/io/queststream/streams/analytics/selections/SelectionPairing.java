package io.queststream.streams.analytics.selections;

import io.queststream.schemas.PreferencePair;
import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import io.queststream.streams.analytics.selections.SelectionRejection.Reason;
import io.queststream.streams.config.SelectionsConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns a user's selection among the regenerations of one parent turn into preference pairs: the chosen reply over
 * each discarded one. Reads scored replies and selections of the same conversations (one partition holds all of a
 * conversation's records), in whichever order they come:
 *
 * <ul>
 *   <li>a selection whose chosen reply is scored is resolved at once: one pair per other scored reply of that parent
 *       written no later than the selection; a reply of that parent scored afterwards gets its pair when it arrives;
 *   <li>a selection whose chosen reply has no score yet waits for it, and is dead-lettered as {@code UNKNOWN_TURN}
 *       once the resolve timeout passes;
 *   <li>a selection that repeats a selection id, names another parent's reply, or comes for a parent that already has
 *       one, is dead-lettered with its reason (checked in that order); one choice per parent counts.
 * </ul>
 *
 * <p>All state is in changelogged stores written in the same exactly-once transaction as the pairs, so a restart
 * neither loses a pair nor repeats one. Parents idle for the retention time are forgotten.
 */
public final class SelectionPairing implements Processor<String, SelectionInput, String, SelectionOutcome> {

  public static final String PARENTS_STORE = "selection-parents";
  public static final String REPLIES_STORE = "selection-replies";
  public static final String PENDING_STORE = "selection-pending";
  static final float WEIGHT = 1f;

  private final SelectionsConfig config;
  private final AnalyticsMetrics metrics;
  private ProcessorContext<String, SelectionOutcome> context;
  private KeyValueStore<String, ParentReplies> parents;
  private KeyValueStore<String, ScoredReply> replies;
  private KeyValueStore<String, PendingSelections> pending;

  public SelectionPairing(SelectionsConfig config, AnalyticsMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, SelectionOutcome> context) {
    this.context = context;
    this.parents = context.getStateStore(PARENTS_STORE);
    this.replies = context.getStateStore(REPLIES_STORE);
    this.pending = context.getStateStore(PENDING_STORE);
    context.schedule(config.scanInterval(), PunctuationType.WALL_CLOCK_TIME, this::scan);
  }

  @Override
  public void process(Record<String, SelectionInput> record) {
    long ts = record.timestamp();
    if (record.value().reply() != null) {
      reply(record.value().reply(), ts);
    } else {
      selection(record.value().selection(), ts);
    }
  }

  private void reply(ScoredReply r, long ts) {
    long now = context.currentSystemTimeMs();
    replies.put(r.turnId(), r);
    ParentReplies state = current(r.parentTurnId(), r.conversationId()).withReply(r, now);
    state = pairDiscarded(state, ts);
    parents.put(r.parentTurnId(), state);
    PendingSelections waiting = pending.get(r.turnId());
    if (waiting != null) {
      pending.delete(r.turnId());
      waiting.waiting().forEach(w -> resolve(w.selection(), r, ts));
    }
  }

  private void selection(SelectionRecord s, long ts) {
    String invalid = invalid(s);
    if (invalid != null) {
      reject(s, Reason.INVALID_SELECTION, invalid, ts);
      return;
    }
    ParentReplies state = parents.get(s.parentTurnId());
    SelectionRecord earlier = state == null ? null : state.selection();
    PendingSelections waiting = pending.get(s.chosenTurnId());
    if ((earlier != null && earlier.selectionId().equals(s.selectionId()))
        || (waiting != null && waiting.holds(s.selectionId()))) {
      reject(s, Reason.DUPLICATE_SELECTION, "selection " + s.selectionId() + " was received before", ts);
      return;
    }
    ScoredReply chosen = replies.get(s.chosenTurnId());
    if (chosen != null) {
      resolve(s, chosen, ts);
      return;
    }
    if (earlier != null) {
      alreadySelected(s, earlier, ts);
      return;
    }
    PendingSelections next = waiting == null ? new PendingSelections(List.of()) : waiting;
    pending.put(s.chosenTurnId(), next.with(s, context.currentSystemTimeMs() + config.resolveTimeout().toMillis()));
  }

  /** The chosen reply is known: checks that it is the selection's, then pairs it with its siblings. */
  private void resolve(SelectionRecord s, ScoredReply chosen, long ts) {
    if (!chosen.conversationId().equals(s.conversationId())) {
      reject(s, Reason.UNKNOWN_TURN, "turn " + s.chosenTurnId() + " is not a scored reply of conversation "
          + s.conversationId(), ts);
      return;
    }
    if (!s.parentTurnId().equals(chosen.parentTurnId())) {
      reject(s, Reason.WRONG_PARENT, "turn " + s.chosenTurnId() + " answers turn " + chosen.parentTurnId()
          + ", not turn " + s.parentTurnId(), ts);
      return;
    }
    ParentReplies state = current(s.parentTurnId(), s.conversationId());
    if (state.selection() != null) {
      alreadySelected(s, state.selection(), ts);
      return;
    }
    metrics.selectionResolved();
    parents.put(s.parentTurnId(), pairDiscarded(state.withSelection(s, context.currentSystemTimeMs()), ts));
  }

  private ParentReplies pairDiscarded(ParentReplies state, long ts) {
    List<String> discarded = state.unpairedDiscarded();
    SelectionRecord s = state.selection();
    for (String rejected : discarded) {
      PreferencePair pair = PreferencePair.newBuilder()
          .setPairId(s.selectionId() + "/" + rejected)
          .setContextId(s.parentTurnId())
          .setConversationId(s.conversationId())
          .setChosenTurnId(s.chosenTurnId())
          .setRejectedTurnId(rejected)
          .setSource(s.source())
          .setRaterId(s.userId())
          .setWeight(WEIGHT)
          .setCreatedAt(Instant.ofEpochMilli(s.createdAtMs()))
          .setSelectionId(s.selectionId())
          .build();
      context.forward(new Record<>(s.parentTurnId(), new SelectionOutcome(pair, null), ts));
      metrics.selectionPair();
    }
    return discarded.isEmpty() ? state : state.withPaired(discarded);
  }

  private void alreadySelected(SelectionRecord s, SelectionRecord earlier, long ts) {
    if (earlier.selectionId().equals(s.selectionId())) {
      reject(s, Reason.DUPLICATE_SELECTION, "selection " + s.selectionId() + " was received before", ts);
    } else {
      reject(s, Reason.PARENT_ALREADY_SELECTED, "turn " + s.parentTurnId() + " already has selection "
          + earlier.selectionId() + " (of turn " + earlier.chosenTurnId() + ")", ts);
    }
  }

  private ParentReplies current(String parentTurnId, String conversationId) {
    ParentReplies state = parents.get(parentTurnId);
    return state != null ? state : ParentReplies.empty(conversationId);
  }

  private static String invalid(SelectionRecord s) {
    List<Map.Entry<String, String>> ids = List.of(Map.entry("selection_id", s.selectionId()),
        Map.entry("conversation_id", s.conversationId()), Map.entry("parent_turn_id", s.parentTurnId()),
        Map.entry("chosen_turn_id", s.chosenTurnId()));
    for (Map.Entry<String, String> id : ids) {
      if (id.getValue().isBlank()) {
        return id.getKey() + " is empty";
      }
    }
    if (s.chosenTurnId().equals(s.parentTurnId())) {
      return "turn " + s.chosenTurnId() + " is chosen as a reply to itself";
    }
    return null;
  }

  private void reject(SelectionRecord s, Reason reason, String message, long ts) {
    metrics.selectionRejected(reason);
    context.forward(new Record<>(s.conversationId(), new SelectionOutcome(null, new SelectionRejection(s, reason,
        message)), ts));
  }

  private void scan(long nowMs) {
    List<KeyValue<String, PendingSelections>> due = new ArrayList<>();
    try (KeyValueIterator<String, PendingSelections> all = pending.all()) {
      all.forEachRemaining(kv -> {
        if (kv.value.waiting().stream().anyMatch(w -> w.deadlineMs() <= nowMs)) {
          due.add(kv);
        }
      });
    }
    for (KeyValue<String, PendingSelections> kv : due) {
      List<PendingSelections.Waiting> still = new ArrayList<>();
      for (PendingSelections.Waiting w : kv.value.waiting()) {
        if (w.deadlineMs() <= nowMs) {
          reject(w.selection(), Reason.UNKNOWN_TURN, "no scored reply " + kv.key + " of conversation "
              + w.selection().conversationId() + " within " + config.resolveTimeout().toMillis() + " ms", nowMs);
        } else {
          still.add(w);
        }
      }
      if (still.isEmpty()) {
        pending.delete(kv.key);
      } else {
        pending.put(kv.key, new PendingSelections(still));
      }
    }
    expireParents(nowMs);
  }

  private void expireParents(long nowMs) {
    List<KeyValue<String, ParentReplies>> idle = new ArrayList<>();
    try (KeyValueIterator<String, ParentReplies> all = parents.all()) {
      all.forEachRemaining(kv -> {
        if (kv.value.expired(nowMs, config.retention().toMillis())) {
          idle.add(kv);
        }
      });
    }
    for (KeyValue<String, ParentReplies> kv : idle) {
      kv.value.replies().keySet().forEach(replies::delete);
      parents.delete(kv.key);
    }
  }
}
