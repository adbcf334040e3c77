package io.queststream.model.heads;

import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.model.api.ScoringRequest;
import java.util.List;

/**
 * A fixed, built-in set of turns that candidate heads must score sensibly before they are installed. The running
 * backbone embeds the turns once; each candidate then runs only its heads on those embeddings, so the check costs
 * microseconds. It stops heads whose values pass one by one but whose outputs do not: scores that overflow to
 * infinity or NaN, are beyond any rating scale, or are the same for every text.
 */
public final class WeightsCanary {

  /** Largest attribute reward accepted, in label units (labels are normalised to [0, 1]). */
  public static final float MAX_ABS_REWARD = 1e3f;
  /** Largest gating weight, coefficient or preference score accepted. */
  public static final float MAX_ABS_SCORE = 1e4f;
  /** Canary scores closer together than this count as one constant score. */
  public static final float MIN_SCORE_SPREAD = 1e-6f;

  private static final CharacterProfile INNKEEPER = new CharacterProfile("canary-innkeeper", "Marta",
      "Marta runs the Gilded Goose, a warm inn at a mountain crossroads. She is blunt, kind and notices everything.",
      "A snowed-in evening at the inn.");

  private final List<EmbeddedTurn> turns;

  private WeightsCanary(List<EmbeddedTurn> turns) {
    this.turns = List.copyOf(turns);
  }

  /** The built-in turns: good, poor, short, long, with and without a character or history. */
  public static List<ScoringRequest> turns() {
    ChatMessage askRoom = new ChatMessage("user", "Do you have a room for the night? The pass is closed.");
    ChatMessage askNews = new ChatMessage("user", "Any news from the valley? I heard wolves were seen near the mill.");
    return List.of(
        new ScoringRequest("canary-1", INNKEEPER, List.of(askRoom),
            "*wipes her hands on her apron* Last one's above the kitchen, warm from the ovens. Two silver, supper "
                + "included. Boots off before the stairs, mind."),
        new ScoringRequest("canary-2", INNKEEPER, List.of(askRoom), "No."),
        new ScoringRequest("canary-3", INNKEEPER, List.of(askNews),
            "*lowers her voice* The miller's boy swears he saw three of them by the frozen race. Old Henrik laughs "
                + "at him, but he barred his door all the same. If you walk down tomorrow, keep to the road."),
        new ScoringRequest("canary-4", INNKEEPER, List.of(askNews),
            "As an AI language model I cannot provide news about wolves."),
        new ScoringRequest("canary-5", null, List.of(),
            "Welcome, traveller. Sit by the fire and tell me where the road has taken you."),
        new ScoringRequest("canary-6", null, List.of(askRoom, new ChatMessage("assistant", "We have one left."),
            new ChatMessage("user", "I'll take it. Is there anything to eat?")),
            "Stew, bread and a wedge of goat cheese. The stew has been on since noon; the bread is from this morning."),
        new ScoringRequest("canary-7", INNKEEPER, List.of(askRoom), "room room room room room room room room"),
        new ScoringRequest("canary-8", INNKEEPER, List.of(new ChatMessage("user", "Tell me a story about this inn.")),
            "*settles into the chair by the hearth* My grandmother built the Goose with stones from the old watch "
                + "tower. The first winter, the snow came up to the shutters, and forty travellers slept in the "
                + "common room. She fed them on turnips and songs until the thaw, and every one of them came back "
                + "the next summer with a gift. That brass bell over the door? A tinker's thanks."));
  }

  /** A canary over the running backbone's embeddings of {@link #turns()}, in that order. */
  public static WeightsCanary of(List<EmbeddedTurn> embedded) {
    if (embedded.size() != turns().size()) {
      throw new IllegalArgumentException("the canary has " + turns().size() + " turns, got " + embedded.size()
          + " embeddings");
    }
    return new WeightsCanary(embedded);
  }

  public int size() {
    return turns.size();
  }

  /** Runs the candidate's heads on every canary turn; throws {@link Reason#CANARY_FAILED} naming the first problem. */
  public void check(HeadsWeights candidate) throws InvalidWeightsException {
    String what = "weights " + candidate.version().modelName() + " v" + candidate.version().version()
        + " failed the canary: ";
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (EmbeddedTurn t : turns) {
      HeadsMath.Output out = HeadsMath.forward(candidate, t.promptEmbedding(), t.responseEmbedding());
      for (int k = 0; k < candidate.attributeCount(); k++) {
        String attribute = candidate.attributes().get(k);
        bounded(what, t, "reward of " + attribute, out.rewards()[k], MAX_ABS_REWARD);
        bounded(what, t, "gating weight of " + attribute, out.gating()[k], MAX_ABS_SCORE);
        bounded(what, t, "coefficient of " + attribute, out.coefficients()[k], MAX_ABS_SCORE);
      }
      bounded(what, t, "score", out.score(), MAX_ABS_SCORE);
      min = Math.min(min, out.score());
      max = Math.max(max, out.score());
    }
    if (max - min < MIN_SCORE_SPREAD) {
      throw new InvalidWeightsException(Reason.CANARY_FAILED, what + "all " + turns.size() + " turns score "
          + min + ": the heads do not tell texts apart");
    }
  }

  private static void bounded(String what, EmbeddedTurn t, String name, float value, float limit)
      throws InvalidWeightsException {
    if (!Float.isFinite(value) || Math.abs(value) > limit) {
      throw new InvalidWeightsException(Reason.CANARY_FAILED, what + t.turnId() + " gets " + name + " " + value
          + (Float.isFinite(value) ? ", beyond +-" + limit : ""));
    }
  }
}
