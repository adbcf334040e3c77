package io.queststream.sample.generation;

import io.queststream.sample.QualityLevel;
import io.queststream.sample.QuestAttribute;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Derives feedback from how each reply was built.
 * <ul>
 *   <li>Ratings (1-10): true score of the attribute + the rater's bias + noise, rounded and clamped. About 70% of
 *       replies get an annotator rating of all six attributes; some replies are rated by their user on two to four
 *       attributes only; some get a second annotator; every degenerate reply gets a moderator rating.</li>
 *   <li>Pairs: for every regenerated user turn, the kept (best) reply over each other alternative
 *       ({@code user_pick}); for some turns with an out-of-character or degenerate alternative and an in-character
 *       kept reply, a moderator pair of the two.
 *       The chosen reply always has the higher overall true quality.</li>
 *   <li>Rankings: for about half of the user turns with three or more alternatives, an annotator's order, best
 *       first by overall true quality.</li>
 * </ul>
 */
final class LabelDeriver {

  static final float SCALE_MIN = 1f;
  static final float SCALE_MAX = 10f;
  private static final int ANNOTATORS = 8;
  private static final int MODERATORS = 3;
  private static final double MAX_ANNOTATOR_BIAS = 0.6;
  private static final double ANNOTATOR_NOISE = 0.7;
  private static final double USER_NOISE = 1.0;
  private static final double ANNOTATED_SHARE = 0.55;
  private static final double SECOND_ANNOTATOR_RATE = 0.2;
  private static final double USER_RATED_SHARE = 0.15;
  private static final double MODERATOR_PAIR_RATE = 0.4;
  private static final double RANKING_RATE = 0.5;

  private final double[] annotatorBias = new double[ANNOTATORS];
  private final List<AttributeRating> ratings = new ArrayList<>();
  private final List<PreferencePair> pairs = new ArrayList<>();
  private final List<Ranking> rankings = new ArrayList<>();

  LabelDeriver(SplittableRandom random) {
    for (int i = 0; i < ANNOTATORS; i++) {
      annotatorBias[i] = (random.nextDouble() * 2 - 1) * MAX_ANNOTATOR_BIAS;
    }
  }

  void label(SimulatedConversation conversation, SplittableRandom random) {
    for (SimulatedConversation.Exchange exchange : conversation.exchanges()) {
      for (SimulatedConversation.Reply reply : exchange.replies()) {
        rate(conversation, reply, random);
      }
      if (exchange.replies().size() > 1) {
        prefer(conversation, exchange, random);
      }
    }
  }

  List<AttributeRating> ratings() {
    return List.copyOf(ratings);
  }

  List<PreferencePair> pairs() {
    return List.copyOf(pairs);
  }

  List<Ranking> rankings() {
    return List.copyOf(rankings);
  }

  private void rate(SimulatedConversation conversation, SimulatedConversation.Reply reply, SplittableRandom random) {
    List<QuestAttribute> all = List.of(QuestAttribute.values());
    Instant replyTime = reply.turn().getCreatedAt();
    if (reply.quality().degenerate()) {
      addRating(reply, "moderator", moderator(random), all, 0, ANNOTATOR_NOISE,
          after(replyTime, 10, 600, random), random);
    }
    double draw = random.nextDouble();
    if (draw < ANNOTATED_SHARE) {
      int first = random.nextInt(ANNOTATORS);
      addRating(reply, "annotator", annotator(first), all, annotatorBias[first], ANNOTATOR_NOISE,
          after(replyTime, 30, 72 * 60, random), random);
      if (random.nextDouble() < SECOND_ANNOTATOR_RATE) {
        int second = (first + 1 + random.nextInt(ANNOTATORS - 1)) % ANNOTATORS;
        addRating(reply, "annotator", annotator(second), all, annotatorBias[second], ANNOTATOR_NOISE,
            after(replyTime, 30, 72 * 60, random), random);
      }
    } else if (draw < ANNOTATED_SHARE + USER_RATED_SHARE) {
      List<QuestAttribute> subset = Draw.shuffled(all, random).subList(0, 2 + random.nextInt(3));
      List<QuestAttribute> inOrder = all.stream().filter(subset::contains).toList();
      addRating(reply, "user", conversation.userId(), inOrder, 0, USER_NOISE,
          after(replyTime, 0, 5, random), random);
    }
  }

  private void addRating(SimulatedConversation.Reply reply, String source, String rater,
      List<QuestAttribute> attributes, double bias, double noise, Instant at,
      SplittableRandom random) {
    Map<String, Float> values = new LinkedHashMap<>();
    for (QuestAttribute attribute : attributes) {
      double raw = reply.quality().trueScore(attribute) + bias + Draw.noise(noise, random);
      values.put(attribute.label(), (float) Math.max(SCALE_MIN, Math.min(SCALE_MAX, Math.round(raw))));
    }
    ratings.add(AttributeRating.newBuilder()
        .setRatingId(String.format("rating-%05d", ratings.size() + 1))
        .setTurnId(reply.turn().getTurnId())
        .setRaterId(rater)
        .setSource(source)
        .setRatings(values)
        .setScaleMin(SCALE_MIN)
        .setScaleMax(SCALE_MAX)
        .setCreatedAt(at)
        .build());
  }

  private void prefer(SimulatedConversation conversation, SimulatedConversation.Exchange exchange,
      SplittableRandom random) {
    String contextId = exchange.userTurn().getTurnId();
    List<SimulatedConversation.Reply> replies = exchange.replies();
    Instant lastReply = replies.get(replies.size() - 1).turn().getCreatedAt();
    Instant picked = after(lastReply, 0, 1, random);
    for (SimulatedConversation.Reply other : replies) {
      if (other != exchange.kept()) {
        addPair(conversation, contextId, exchange.kept(), other, "user_pick", conversation.userId(), picked);
      }
    }
    replies.stream()
        .filter(LabelDeriver::breaksCharacter)
        .min(Comparator.comparingDouble(reply -> reply.quality().overall()))
        .filter(offender -> !breaksCharacter(exchange.kept()) && random.nextDouble() < MODERATOR_PAIR_RATE)
        .ifPresent(offender -> addPair(conversation, contextId, exchange.kept(), offender, "moderator",
            moderator(random), after(lastReply, 60, 48 * 60, random)));
    if (replies.size() >= 3 && random.nextDouble() < RANKING_RATE) {
      List<String> bestFirst = replies.stream()
          .sorted(Comparator.comparingDouble((SimulatedConversation.Reply reply) -> reply.quality().overall())
              .reversed())
          .map(reply -> reply.turn().getTurnId())
          .toList();
      rankings.add(Ranking.newBuilder()
          .setRankingId(String.format("ranking-%04d", rankings.size() + 1))
          .setContextId(contextId)
          .setConversationId(conversation.conversationId())
          .setTurnIdsBestFirst(bestFirst)
          .setSource("ranking")
          .setRaterId(annotator(random.nextInt(ANNOTATORS)))
          .setCreatedAt(after(lastReply, 60, 72 * 60, random))
          .build());
    }
  }

  /** What a moderator acts on: a degenerate reply or one that steps out of character. */
  private static boolean breaksCharacter(SimulatedConversation.Reply reply) {
    return reply.quality().degenerate()
        || reply.quality().level(QuestAttribute.CHARACTER_CONSISTENCY) == QualityLevel.POOR;
  }

  private void addPair(SimulatedConversation conversation, String contextId, SimulatedConversation.Reply chosen,
      SimulatedConversation.Reply rejected, String source, String rater, Instant at) {
    pairs.add(PreferencePair.newBuilder()
        .setPairId(String.format("pair-%05d", pairs.size() + 1))
        .setContextId(contextId)
        .setConversationId(conversation.conversationId())
        .setChosenTurnId(chosen.turn().getTurnId())
        .setRejectedTurnId(rejected.turn().getTurnId())
        .setSource(source)
        .setRaterId(rater)
        .setWeight(1f)
        .setCreatedAt(at)
        .build());
  }

  private static String annotator(int index) {
    return String.format("annotator-%02d", index + 1);
  }

  private static String moderator(SplittableRandom random) {
    return String.format("moderator-%02d", 1 + random.nextInt(MODERATORS));
  }

  /** A time between the given minutes (inclusive) and {@code maxMinutes} after {@code start}, to the second. */
  private static Instant after(Instant start, int minMinutes, int maxMinutes, SplittableRandom random) {
    long seconds = minMinutes * 60L + random.nextLong((maxMinutes - minMinutes) * 60L + 1);
    return start.plus(Duration.ofSeconds(Math.max(seconds, 1)));
  }
}
