package io.queststream.sample.generation;

import io.queststream.sample.ConstructedQuality;
import io.queststream.sample.SampleDataset;
import io.queststream.sample.catalog.Catalog;
import io.queststream.sample.catalog.CharacterSpec;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds the whole data set from a catalog, a model line-up and a seed. Deterministic: one
 * {@link SplittableRandom} seeded once, split per conversation so each conversation's draws do not depend on how
 * many draws earlier ones made; fixed epoch instead of the wall clock; only ordered collections.
 */
public final class SampleDatasetGenerator {

  /** Conversations start from this instant, four minutes apart. */
  public static final Instant EPOCH = Instant.parse("2026-01-05T09:00:00Z");
  public static final int DEFAULT_CONVERSATIONS = 300;

  private final Catalog catalog;
  private final PolicyModels models;

  public SampleDatasetGenerator(Catalog catalog, PolicyModels models) {
    this.catalog = catalog;
    this.models = models;
  }

  public SampleDataset generate(long seed, int conversations) {
    SplittableRandom root = new SplittableRandom(seed);
    LabelDeriver labels = new LabelDeriver(root.split());
    ConversationSimulator simulator = new ConversationSimulator(models, catalog.phrasebook());
    List<ChatTurn> turns = new ArrayList<>();
    Map<String, ConstructedQuality> quality = new LinkedHashMap<>();
    List<CharacterSpec> characters = catalog.characters();
    for (int i = 0; i < conversations; i++) {
      SplittableRandom random = root.split();
      SimulatedConversation conversation =
          simulator.play(i, characters.get(i % characters.size()), EPOCH, random);
      turns.addAll(conversation.turnsInOrder());
      conversation.exchanges().forEach(exchange -> exchange.replies()
          .forEach(reply -> quality.put(reply.turn().getTurnId(), reply.quality())));
      labels.label(conversation, random);
    }
    Map<String, Integer> elo = new LinkedHashMap<>();
    models.all().forEach(model -> elo.put(model.name(), model.elo()));
    return new SampleDataset(cards(characters), turns, labels.ratings(), labels.pairs(), labels.rankings(),
        elo, quality);
  }

  private static List<CharacterCard> cards(List<CharacterSpec> characters) {
    List<CharacterCard> cards = new ArrayList<>();
    Instant written = EPOCH.minus(Duration.ofDays(14));
    for (int i = 0; i < characters.size(); i++) {
      CharacterSpec spec = characters.get(i);
      cards.add(CharacterCard.newBuilder()
          .setCharacterId(spec.id())
          .setName(spec.name())
          .setPersona(cardText(spec.persona()))
          .setScenario(cardText(spec.scenario()))
          .setGreeting(cardText(spec.greeting()))
          .setExampleDialogue(spec.exampleDialogue() == null ? null : cardText(spec.exampleDialogue()))
          .setTags(spec.tags())
          .setVersion(1L)
          .setUpdatedAt(written.plus(Duration.ofHours(i)))
          .build());
    }
    return cards;
  }

  /** Cards use the usual character-card placeholder for the user's name. */
  private static String cardText(String catalogText) {
    return catalogText.replace("{user}", "{{user}}");
  }
}
