package io.queststream.sample;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sample data set: character cards, chat turns in conversation order (each user turn followed by the replies
 * generated for it), attribute ratings, preference pairs, rankings, the policy models' Elo table and the quality
 * each assistant reply was built with.
 *
 * <p>Collections are unmodifiable. The elements are Avro records, which are mutable by design; {@link SampleData}
 * decodes a fresh copy on every load, so a caller that changes a record affects only its own copy.
 */
public final class SampleDataset {

  private final List<CharacterCard> cards;
  private final List<ChatTurn> turns;
  private final List<AttributeRating> ratings;
  private final List<PreferencePair> preferencePairs;
  private final List<Ranking> rankings;
  private final Map<String, Integer> policyElo;
  private final Map<String, ConstructedQuality> trueQuality;

  private final Map<String, CharacterCard> cardsById;
  private final Map<String, ChatTurn> turnsById;
  private final Map<String, List<ChatTurn>> turnsByConversation;
  private final Map<String, List<ChatTurn>> repliesByParent;

  public SampleDataset(List<CharacterCard> cards, List<ChatTurn> turns, List<AttributeRating> ratings,
      List<PreferencePair> preferencePairs, List<Ranking> rankings,
      Map<String, Integer> policyElo, Map<String, ConstructedQuality> trueQuality) {
    this.cards = List.copyOf(cards);
    this.turns = List.copyOf(turns);
    this.ratings = List.copyOf(ratings);
    this.preferencePairs = List.copyOf(preferencePairs);
    this.rankings = List.copyOf(rankings);
    this.policyElo = Collections.unmodifiableMap(new LinkedHashMap<>(policyElo));
    this.trueQuality = Collections.unmodifiableMap(new LinkedHashMap<>(trueQuality));
    this.cardsById = uniqueIndex(this.cards, CharacterCard::getCharacterId, "character");
    this.turnsById = uniqueIndex(this.turns, ChatTurn::getTurnId, "turn");
    this.turnsByConversation = groupInOrder(this.turns, ChatTurn::getConversationId);
    this.repliesByParent = groupInOrder(
        this.turns.stream().filter(turn -> "assistant".equals(turn.getRole()) && turn.getParentTurnId() != null)
            .toList(),
        ChatTurn::getParentTurnId);
  }

  public List<CharacterCard> cards() {
    return cards;
  }

  /** All turns, conversation by conversation; within one, by creation time. */
  public List<ChatTurn> turns() {
    return turns;
  }

  /**
   * All turns as a live platform would publish them: interleaved across conversations by creation time (ties by
   * turn id). Within a conversation the order is the same as in {@link #turns()}.
   */
  public List<ChatTurn> turnsInTimeOrder() {
    return turns.stream()
        .sorted(Comparator.comparing(ChatTurn::getCreatedAt).thenComparing(ChatTurn::getTurnId))
        .toList();
  }

  public List<AttributeRating> ratings() {
    return ratings;
  }

  public List<PreferencePair> preferencePairs() {
    return preferencePairs;
  }

  public List<Ranking> rankings() {
    return rankings;
  }

  /** Published arena rating per policy model, in the order of policy-elo.json. */
  public Map<String, Integer> policyElo() {
    return policyElo;
  }

  /** Conversation id to its turns in order, conversations in data set order. */
  public Map<String, List<ChatTurn>> turnsByConversation() {
    return turnsByConversation;
  }

  public Optional<ChatTurn> turn(String turnId) {
    return Optional.ofNullable(turnsById.get(turnId));
  }

  public Optional<CharacterCard> card(String characterId) {
    return Optional.ofNullable(cardsById.get(characterId));
  }

  /** Every assistant reply generated for a user turn: one, or several regenerations. */
  public List<ChatTurn> alternatives(String parentTurnId) {
    return repliesByParent.getOrDefault(parentTurnId, List.of());
  }

  /**
   * The conversation a turn was written in reply to, oldest first: its ancestors along parent links (the user
   * turn it answers, the reply that user turn followed, and so on). Sibling regenerations are not part of it.
   *
   * @throws IllegalArgumentException for an unknown turn id
   */
  public List<ChatTurn> history(String turnId) {
    ChatTurn turn = turnsById.get(turnId);
    if (turn == null) {
      throw new IllegalArgumentException("Unknown turn id: " + turnId);
    }
    List<ChatTurn> ancestors = new ArrayList<>();
    String parentId = turn.getParentTurnId();
    while (parentId != null) {
      ChatTurn parent = turnsById.get(parentId);
      if (parent == null) {
        throw new IllegalStateException("Turn " + turnId + " descends from " + parentId
            + ", which is not in the data set");
      }
      ancestors.add(parent);
      parentId = parent.getParentTurnId();
    }
    Collections.reverse(ancestors);
    return Collections.unmodifiableList(ancestors);
  }

  /**
   * The quality an assistant reply was built with, the ground truth behind its labels (see
   * {@link ConstructedQuality}). Empty for user turns.
   */
  public Optional<ConstructedQuality> trueQuality(String turnId) {
    return Optional.ofNullable(trueQuality.get(turnId));
  }

  /** Turn id to constructed quality for every assistant turn, in turn order. */
  public Map<String, ConstructedQuality> trueQualities() {
    return trueQuality;
  }

  private static <T> Map<String, T> uniqueIndex(List<T> values, Function<T, String> key, String what) {
    Map<String, T> index = new LinkedHashMap<>();
    for (T value : values) {
      if (index.put(key.apply(value), value) != null) {
        throw new IllegalArgumentException("Duplicate " + what + " id: " + key.apply(value));
      }
    }
    return Collections.unmodifiableMap(index);
  }

  private static Map<String, List<ChatTurn>> groupInOrder(List<ChatTurn> turns, Function<ChatTurn, String> key) {
    Map<String, List<ChatTurn>> groups = turns.stream()
        .collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toUnmodifiableList()));
    return Collections.unmodifiableMap(groups);
  }
}
