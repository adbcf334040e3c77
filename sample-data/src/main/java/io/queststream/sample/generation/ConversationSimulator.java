package io.queststream.sample.generation;

import io.queststream.sample.ConstructedQuality;
import io.queststream.sample.catalog.CharacterSpec;
import io.queststream.sample.catalog.Phrasebook;
import io.queststream.sample.catalog.UserPrompt;
import io.queststream.schemas.ChatTurn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plays one conversation: 2-6 exchanges (no more than the character has prompts). For about half of the user turns
 * the user regenerates, giving 2-4 alternatives that share the user turn as parent, each from the conversation's
 * model or another one. The user keeps the best alternative and the conversation continues from it (it becomes the
 * next user turn's parent).
 */
final class ConversationSimulator {

  private static final int USERS = 60;
  /** Every third user types in lower case, as many chat users do. */
  private static final int CASUAL_USER_EVERY = 3;
  private static final double REGENERATION_RATE = 0.5;
  private static final double FORCED_CHARACTER_BREAK_RATE = 0.25;
  private static final Duration CONVERSATION_SPACING = Duration.ofMinutes(4);

  private final PolicyModels models;
  private final Phrasebook phrases;
  private final QualitySampler sampler = new QualitySampler();
  private final ReplyComposer composer;

  ConversationSimulator(PolicyModels models, Phrasebook phrases) {
    this.models = models;
    this.phrases = phrases;
    this.composer = new ReplyComposer(phrases);
  }

  SimulatedConversation play(int index, CharacterSpec character, Instant epoch, SplittableRandom random) {
    String conversationId = String.format("conv-%04d", index + 1);
    int userNumber = 1 + random.nextInt(USERS);
    String userId = String.format("user-%03d", userNumber);
    boolean casualUser = userNumber % CASUAL_USER_EVERY == 0;
    PolicyModel mainModel = models.pick(random);
    List<UserPrompt> available = promptsOf(character);
    int exchangeCount = Math.min(2 + random.nextInt(5), available.size());
    List<UserPrompt> prompts = Draw.shuffled(available, random).subList(0, exchangeCount);

    Instant clock = epoch.plus(CONVERSATION_SPACING.multipliedBy(index)).plusSeconds(random.nextInt(180));
    List<SimulatedConversation.Exchange> exchanges = new ArrayList<>();
    String parentId = null;
    for (int e = 0; e < exchangeCount; e++) {
      UserPrompt prompt = prompts.get(e);
      String userTurnId = String.format("%s-t%02d", conversationId, e + 1);
      clock = clock.plusSeconds(e == 0 ? 0 : 20 + random.nextInt(130));
      ChatTurn userTurn = turn(userTurnId, conversationId, "user", userText(prompt, casualUser, random),
          character, userId, null, parentId, clock, Map.of());

      List<PolicyModel> writers = writers(mainModel, random);
      List<ConstructedQuality> qualities = writers.size() == 1
          ? List.of(sampler.sample(writers.get(0), random))
          : sampler.sampleDistinct(writers, random.nextDouble() < FORCED_CHARACTER_BREAK_RATE, random);
      int best = bestIndex(qualities);
      List<SimulatedConversation.Reply> replies = new ArrayList<>();
      for (int r = 0; r < writers.size(); r++) {
        clock = clock.plusSeconds(r == 0 ? 4 + random.nextInt(17) : 6 + random.nextInt(25));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("alternative", Integer.toString(r + 1));
        metadata.put("alternatives", Integer.toString(writers.size()));
        metadata.put("kept", Boolean.toString(r == best));
        String text = composer.compose(character, prompt, qualities.get(r), random);
        ChatTurn reply = turn(userTurnId + "-r" + (r + 1), conversationId, "assistant", text, character,
            userId, writers.get(r).name(), userTurnId, clock, metadata);
        replies.add(new SimulatedConversation.Reply(reply, qualities.get(r)));
      }
      SimulatedConversation.Reply kept = replies.get(best);
      exchanges.add(new SimulatedConversation.Exchange(userTurn, List.copyOf(replies), kept));
      parentId = kept.turn().getTurnId();
    }
    return new SimulatedConversation(conversationId, userId, List.copyOf(exchanges));
  }

  /** The character's own prompts plus the generic ones, answered from the character's backstory. */
  private List<UserPrompt> promptsOf(CharacterSpec character) {
    List<UserPrompt> prompts = new ArrayList<>(character.prompts());
    for (String generic : phrases.genericPrompts()) {
      prompts.add(new UserPrompt(generic.replace("{name}", character.name()), character.backstory()));
    }
    return prompts;
  }

  private String userText(UserPrompt prompt, boolean casualUser, SplittableRandom random) {
    String text = prompt.text();
    if (random.nextDouble() < 0.35 && !text.startsWith("*")) {
      text = Draw.one(phrases.userActions(), random) + " " + text;
    }
    return casualUser ? text.toLowerCase(Locale.ROOT) : text;
  }

  /** The conversation's model answers first; each regeneration comes from the same or another model. */
  private List<PolicyModel> writers(PolicyModel mainModel, SplittableRandom random) {
    List<PolicyModel> writers = new ArrayList<>(List.of(mainModel));
    if (random.nextDouble() < REGENERATION_RATE) {
      int alternatives = 2 + random.nextInt(3);
      while (writers.size() < alternatives) {
        writers.add(random.nextBoolean() ? mainModel : models.pick(random));
      }
    }
    return writers;
  }

  private static int bestIndex(List<ConstructedQuality> qualities) {
    int best = 0;
    Comparator<ConstructedQuality> byOverall = Comparator.comparingDouble(ConstructedQuality::overall);
    for (int i = 1; i < qualities.size(); i++) {
      if (byOverall.compare(qualities.get(i), qualities.get(best)) > 0) {
        best = i;
      }
    }
    return best;
  }

  private static ChatTurn turn(String turnId, String conversationId, String role, String text,
      CharacterSpec character, String userId, String policyModel, String parentTurnId,
      Instant createdAt, Map<String, String> metadata) {
    return ChatTurn.newBuilder()
        .setTurnId(turnId)
        .setConversationId(conversationId)
        .setRole(role)
        .setText(text)
        .setCharacterId(character.id())
        .setUserId(userId)
        .setPolicyModel(policyModel)
        .setParentTurnId(parentTurnId)
        .setCreatedAt(createdAt)
        .setMetadata(metadata)
        .build();
  }
}
