package io.queststream.demo.traffic;

import io.queststream.sample.SampleDataset;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the sample conversations into chat-turns at a steady rate, several conversations interleaved as on a
 * live platform, with a bad record every so often, and the sample feedback about those turns (ratings, pairs,
 * rankings, and the user's selection among each turn's regenerations) once they are out, so the trainer has something
 * to learn from. Each pass renames conversations and turns so that replays are
 * new traffic rather than duplicates. Optionally one character's replies degrade after a number of turns (a drift
 * for the analytics to find); feedback released at a degraded reply is not sent, since it rates the original text.
 */
final class TrafficGenerator {

  private static final Logger log = LoggerFactory.getLogger(TrafficGenerator.class);

  private final SampleDataset data;
  private final Producer<String, CharacterCard> cards;
  private final Producer<String, ChatTurn> turns;
  private final Producer<String, byte[]> raw;
  private final Producer<String, SpecificRecord> feedback;
  private final FeedbackReplay replay;
  private final DriftInjection drift;
  private final TrafficSettings settings;

  TrafficGenerator(SampleDataset data, Producer<String, CharacterCard> cards, Producer<String, ChatTurn> turns,
      Producer<String, byte[]> raw, Producer<String, SpecificRecord> feedback, TrafficSettings settings) {
    this.data = data;
    this.cards = cards;
    this.turns = turns;
    this.raw = raw;
    this.feedback = feedback;
    this.replay = new FeedbackReplay(data);
    this.drift = settings.driftAfter() > 0 ? new DriftInjection(data, settings.driftCharacter(), settings.driftAfter())
        : null;
    this.settings = settings;
  }

  void publishCards() {
    for (CharacterCard card : data.cards()) {
      cards.send(new ProducerRecord<>(settings.cardsTopic(), card.getCharacterId(), card));
    }
    cards.flush();
    log.info("Published {} character cards to {}", data.cards().size(), settings.cardsTopic());
  }

  /** Sends until {@code maxTurns} good turns were sent (0 = forever) or the thread is interrupted. */
  long run() throws InterruptedException {
    long sent = 0;
    long bad = 0;
    long intervalNanos = (long) (1e9 / settings.turnsPerSecond());
    long next = System.nanoTime();
    for (int pass = 1; ; pass++) {
      for (List<Sent> slice : interleaved(pass)) {
        for (Sent sentTurn : slice) {
          ChatTurn t = drift == null ? sentTurn.turn() : drift.apply(sentTurn.turn(), sent);
          long wait = next - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          next += intervalNanos;
          turns.send(new ProducerRecord<>(settings.turnsTopic(), t.getConversationId(), t));
          sent++;
          if (settings.feedback() && t == sentTurn.turn()) {
            sendFeedback(sentTurn.originalId(), pass);
          }
          if (settings.badEvery() > 0 && sent % settings.badEvery() == 0) {
            sendBad(bad++, t);
          }
          if (settings.maxTurns() > 0 && sent >= settings.maxTurns()) {
            turns.flush();
            return sent;
          }
        }
      }
      if (!settings.loop()) {
        turns.flush();
        return sent;
      }
    }
  }

  private void sendBad(long n, ChatTurn around) {
    BadRecords.Kind kind = BadRecords.Kind.values()[(int) (n % BadRecords.Kind.values().length)];
    if (kind == BadRecords.Kind.NOT_AVRO) {
      raw.send(new ProducerRecord<>(settings.turnsTopic(), around.getConversationId(), BadRecords.notAvro(n)));
    } else {
      ChatTurn bad = BadRecords.turn(kind, around.getConversationId(), n, around.getCharacterId());
      turns.send(new ProducerRecord<>(settings.turnsTopic(), around.getConversationId(), bad));
    }
  }

  private void sendFeedback(String originalTurnId, int pass) {
    for (FeedbackReplay.Feedback f : replay.after(originalTurnId, pass)) {
      String topic = switch (f.topicKind()) {
        case "ratings" -> settings.ratingsTopic();
        case "selections" -> settings.selectionsTopic();
        default -> settings.preferencesTopic();
      };
      feedback.send(new ProducerRecord<>(topic, f.key(), f.value()));
    }
  }

  /** A turn as sent in this pass, with the id it has in the sample data (feedback is indexed by that id). */
  private record Sent(ChatTurn turn, String originalId) {}

  /** Turns of {@code concurrency} conversations at a time, round-robin, renamed for this pass. */
  private List<List<Sent>> interleaved(int pass) {
    List<List<Sent>> conversations = new ArrayList<>();
    for (Map.Entry<String, List<ChatTurn>> c : data.turnsByConversation().entrySet()) {
      conversations.add(c.getValue().stream().map(t -> new Sent(renamed(t, pass), t.getTurnId())).toList());
    }
    List<List<Sent>> slices = new ArrayList<>();
    int width = Math.max(1, settings.concurrentConversations());
    for (int start = 0; start < conversations.size(); start += width) {
      List<List<Sent>> group = conversations.subList(start, Math.min(conversations.size(), start + width));
      List<Sent> slice = new ArrayList<>();
      int longest = group.stream().mapToInt(List::size).max().orElse(0);
      for (int i = 0; i < longest; i++) {
        for (List<Sent> c : group) {
          if (i < c.size()) {
            slice.add(c.get(i));
          }
        }
      }
      slices.add(slice);
    }
    return slices;
  }

  private static ChatTurn renamed(ChatTurn t, int pass) {
    String suffix = FeedbackReplay.suffix(pass);
    return ChatTurn.newBuilder(t)
        .setConversationId(t.getConversationId() + suffix)
        .setTurnId(t.getTurnId() + suffix)
        .setParentTurnId(t.getParentTurnId() == null ? null : t.getParentTurnId() + suffix)
        .setCreatedAt(Instant.now())
        .build();
  }
}
