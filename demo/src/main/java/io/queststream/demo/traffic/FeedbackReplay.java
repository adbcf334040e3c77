package io.queststream.demo.traffic;

import io.queststream.sample.SampleDataset;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.TurnSelection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * The sample data's feedback (ratings, preference pairs, rankings), released as the turns it is about are sent:
 * a rating after its turn, a pair or ranking after the last of its turns. Ids get the same pass suffix as the turns.
 * The user's own picks among regenerations ({@code user_pick} pairs: the kept reply over each other one) go out as
 * what a platform sees, one selection of the kept reply per parent turn, and the analytics derive the pairs.
 */
final class FeedbackReplay {

  static final String USER_PICK = "user_pick";

  /** A feedback record and the topic key it goes out under. */
  record Feedback(String topicKind, String key, SpecificRecord value) {}

  private final Map<String, List<AttributeRating>> ratingsByTurn = new HashMap<>();
  private final Map<String, List<PreferencePair>> pairsByLastTurn = new HashMap<>();
  private final Map<String, List<Ranking>> rankingsByLastTurn = new HashMap<>();
  private final Map<String, TurnSelection> selectionsByLastTurn = new HashMap<>();

  FeedbackReplay(SampleDataset data) {
    Function<String, Long> turnOrder = indexOfTurns(data);
    for (AttributeRating r : data.ratings()) {
      ratingsByTurn.computeIfAbsent(r.getTurnId(), k -> new ArrayList<>()).add(r);
    }
    Map<String, List<PreferencePair>> picksByParent = new HashMap<>();
    for (PreferencePair p : data.preferencePairs()) {
      if (USER_PICK.equals(p.getSource())) {
        picksByParent.computeIfAbsent(p.getContextId(), k -> new ArrayList<>()).add(p);
        continue;
      }
      String last = later(turnOrder, p.getChosenTurnId(), p.getRejectedTurnId());
      pairsByLastTurn.computeIfAbsent(last, k -> new ArrayList<>()).add(p);
    }
    picksByParent.forEach((parent, picks) -> {
      String last = data.alternatives(parent).stream().map(t -> t.getTurnId())
          .reduce((a, b) -> later(turnOrder, a, b)).orElseThrow();
      PreferencePair first = picks.get(0);
      selectionsByLastTurn.put(last, TurnSelection.newBuilder().setSelectionId("sel-" + parent)
          .setConversationId(first.getConversationId()).setParentTurnId(parent)
          .setChosenTurnId(first.getChosenTurnId()).setUserId(first.getRaterId()).setSource("swipe")
          .setCreatedAt(first.getCreatedAt()).build());
    });
    for (Ranking r : data.rankings()) {
      String last = r.getTurnIdsBestFirst().stream().reduce((a, b) -> later(turnOrder, a, b)).orElseThrow();
      rankingsByLastTurn.computeIfAbsent(last, k -> new ArrayList<>()).add(r);
    }
  }

  /** Feedback that becomes complete once {@code originalTurnId} has been sent in pass {@code pass}. */
  List<Feedback> after(String originalTurnId, int pass) {
    List<Feedback> out = new ArrayList<>();
    String s = suffix(pass);
    for (AttributeRating r : ratingsByTurn.getOrDefault(originalTurnId, List.of())) {
      out.add(new Feedback("ratings", r.getTurnId() + s, AttributeRating.newBuilder(r)
          .setRatingId(r.getRatingId() + s).setTurnId(r.getTurnId() + s).setCreatedAt(Instant.now()).build()));
    }
    for (PreferencePair p : pairsByLastTurn.getOrDefault(originalTurnId, List.of())) {
      out.add(new Feedback("preferences", p.getContextId() + s, PreferencePair.newBuilder(p)
          .setPairId(p.getPairId() + s).setContextId(p.getContextId() + s)
          .setConversationId(p.getConversationId() == null ? null : p.getConversationId() + s)
          .setChosenTurnId(p.getChosenTurnId() + s).setRejectedTurnId(p.getRejectedTurnId() + s)
          .setCreatedAt(Instant.now()).build()));
    }
    for (Ranking r : rankingsByLastTurn.getOrDefault(originalTurnId, List.of())) {
      out.add(new Feedback("preferences", r.getContextId() + s, Ranking.newBuilder(r)
          .setRankingId(r.getRankingId() + s).setContextId(r.getContextId() + s)
          .setConversationId(r.getConversationId() == null ? null : r.getConversationId() + s)
          .setTurnIdsBestFirst(r.getTurnIdsBestFirst().stream().map(t -> t + s).toList())
          .setCreatedAt(Instant.now()).build()));
    }
    TurnSelection selection = selectionsByLastTurn.get(originalTurnId);
    if (selection != null) {
      out.add(new Feedback("selections", selection.getConversationId() + s, TurnSelection.newBuilder(selection)
          .setSelectionId(selection.getSelectionId() + s).setConversationId(selection.getConversationId() + s)
          .setParentTurnId(selection.getParentTurnId() + s).setChosenTurnId(selection.getChosenTurnId() + s)
          .setCreatedAt(Instant.now()).build()));
    }
    return out;
  }

  static String suffix(int pass) {
    return pass == 1 ? "" : "~p" + pass;
  }

  private static Function<String, Long> indexOfTurns(SampleDataset data) {
    Map<String, Long> index = new HashMap<>();
    long i = 0;
    for (List<io.queststream.schemas.ChatTurn> conversation : data.turnsByConversation().values()) {
      for (io.queststream.schemas.ChatTurn t : conversation) {
        index.put(t.getTurnId(), i++);
      }
    }
    return id -> index.getOrDefault(id, Long.MAX_VALUE);
  }

  private static String later(Function<String, Long> order, String a, String b) {
    return order.apply(a) >= order.apply(b) ? a : b;
  }
}
