package io.queststream.model.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.config.TextConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a scoring request into token ids and spans: substitutes the roleplay macros, renders each message with the
 * chat template once ({@link TemplateLayout}), encodes it so that only the template can write special tokens
 * ({@link TextEncoder}), and drops the oldest history until the turn fits the context budget (the card and the
 * scored response always stay). Dropping a message takes its tokens out; nothing is rendered again.
 *
 * <p>The prompt/response boundaries are token positions: the context ends where the response's piece starts, the
 * prompt (context plus the assistant header) where the response's text starts. Thread-safe: the native tokenizer is
 * shared.
 */
public final class TurnTokenizer implements AutoCloseable {

  private static final ScoringRequest PROBE = new ScoringRequest("probe",
      new CharacterProfile("probe", "Mira", "A sardonic starship mechanic.", "The engine died near a nebula."),
      List.of(new ChatMessage("user", "The engine died. Can you fix it?"),
          new ChatMessage("assistant", "Of course it did."), new ChatMessage("user", "How long will it take?")),
      "Hand me the spanner, and stop touching things!");

  private final TextEncoder encoder;
  private final TemplateLayout layout;
  private final int contextBudget;
  private final int maxTokens;
  private final TextEncoder.Encoded start;

  private TurnTokenizer(TextEncoder encoder, TemplateLayout layout, int contextBudget, int maxTokens) {
    this.encoder = encoder;
    this.layout = layout;
    this.contextBudget = contextBudget;
    this.maxTokens = maxTokens;
    this.start = encoder.encode(MessageText.structure(layout.start()));
  }

  /**
   * Loads tokenizer.json and the chat template, and checks on a probe conversation that message-by-message encoding
   * gives exactly the ids the tokenizer gives the whole rendered conversation.
   *
   * @throws IllegalArgumentException when the template or the tokenizer cannot be read message by message
   */
  public static TurnTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig, TextConfig text,
      int contextBudget, int maxTokens) throws IOException {
    ChatTemplate template = ChatTemplate.forModel(tokenizerConfig, text);
    boolean addSpecialTokens = !template.rendersSpecialTokens();
    TextEncoder encoder = TextEncoder.load(tokenizerJson, addSpecialTokens);
    try (HuggingFaceTokenizer whole = HuggingFaceTokenizer.newInstance(tokenizerJson,
        Map.of("truncation", "false", "padding", "false", "addSpecialTokens", Boolean.toString(addSpecialTokens)))) {
      TurnTokenizer tokenizer = new TurnTokenizer(encoder, TemplateLayout.of(template), contextBudget, maxTokens);
      tokenizer.checkAgainst(whole, addSpecialTokens);
      return tokenizer;
    } catch (RuntimeException | IOException e) {
      encoder.close();
      throw e;
    }
  }

  /** {@link #load(Path, Optional, TextConfig, int, int)} with the default text limits. */
  public static TurnTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig, int contextBudget,
      int maxTokens) throws IOException {
    return load(tokenizerJson, tokenizerConfig, TextConfig.defaults(), contextBudget, maxTokens);
  }

  /**
   * Tokenizes the request, dropping as little history as needed to fit the context budget; a turn that cannot fit
   * the budget may still run if it fits the backbone's hard limit.
   *
   * @throws TemplateRenderException when the chat template cannot render the turn
   */
  public TokenizedTurn tokenize(ScoringRequest request) throws TurnTooLongException {
    Turn turn = new Turn(request);
    int history = turn.historySize();
    if (turn.length(0) <= contextBudget) {
      return turn.tokens(0);
    }
    for (int limit : new int[] {contextBudget, maxTokens}) {
      for (int drop = 1; drop <= history; drop++) {
        if (turn.length(drop) <= limit) {
          return turn.tokens(drop);
        }
      }
    }
    throw new TurnTooLongException(request.turnId(), turn.length(history), maxTokens);
  }

  /**
   * Tokens the request occupies after truncation; the full-drop count when it cannot fit at all, and the hard limit
   * when the template cannot render it (scoring it then fails with the cause).
   */
  public int tokenCount(ScoringRequest request) {
    try {
      return tokenize(request).length();
    } catch (TurnTooLongException e) {
      return e.tokens();
    } catch (TemplateRenderException e) {
      return maxTokens;
    }
  }

  /**
   * One request's messages as encoded pieces. The context is the card's system message (kept always) and the
   * history; every message is encoded as a later message once, and as the first one only when it may start the
   * conversation after older history is dropped.
   */
  private final class Turn {
    private final String turnId;
    private final List<ChatMessage> context = new ArrayList<>();
    private final int keptAlways;
    private final Piece[] later;
    private final Piece[] first;
    private final ChatMessage response;
    private Piece responseLater;
    private Piece responseFirst;

    Turn(ScoringRequest request) {
      turnId = request.turnId();
      CharacterProfile character = request.character();
      RoleplayMacros macros = new RoleplayMacros(character == null ? null : character.name(), request.userName());
      SystemPrompt.of(character, macros).ifPresent(s -> context.add(new ChatMessage("system", s)));
      keptAlways = context.size();
      for (ChatMessage m : request.history()) {
        context.add(new ChatMessage(m.role(), macros.substitute(m.text())));
      }
      response = new ChatMessage("assistant", macros.substitute(request.response()));
      later = new Piece[context.size()];
      first = new Piece[context.size()];
      for (int i = 0; i < context.size(); i++) {
        if (i > 0 || keptAlways == 0) {
          later[i] = encode(context.get(i), false);
        }
      }
    }

    int historySize() {
      return context.size() - keptAlways;
    }

    /** The kept context messages when the oldest {@code drop} history messages are left out. */
    private int[] kept(int drop) {
      int[] kept = new int[context.size() - drop];
      for (int i = 0; i < keptAlways; i++) {
        kept[i] = i;
      }
      for (int i = keptAlways; i < kept.length; i++) {
        kept[i] = i + drop;
      }
      return kept;
    }

    private Piece piece(int index, boolean isFirst) {
      if (!isFirst) {
        return later[index];
      }
      if (first[index] == null) {
        first[index] = encode(context.get(index), true);
      }
      return first[index];
    }

    private Piece response(boolean isFirst) {
      if (isFirst) {
        if (responseFirst == null) {
          responseFirst = encode(response, true);
        }
        return responseFirst;
      }
      if (responseLater == null) {
        responseLater = encode(response, false);
      }
      return responseLater;
    }

    int length(int drop) {
      int[] kept = kept(drop);
      int n = encoder.prefix().length + start.length() + encoder.suffix().length;
      for (int k = 0; k < kept.length; k++) {
        n += piece(kept[k], k == 0).tokens().length();
      }
      return n + response(kept.length == 0).tokens().length();
    }

    TokenizedTurn tokens(int drop) {
      int[] kept = kept(drop);
      List<long[]> parts = new ArrayList<>();
      parts.add(encoder.prefix());
      parts.add(start.ids());
      for (int k = 0; k < kept.length; k++) {
        parts.add(piece(kept[k], k == 0).tokens().ids());
      }
      int responseStart = parts.stream().mapToInt(p -> p.length).sum();
      Piece replyPiece = response(kept.length == 0);
      TextEncoder.Encoded reply = replyPiece.tokens();
      parts.add(reply.ids());
      parts.add(encoder.suffix());
      long[] ids = new long[responseStart + reply.length() + encoder.suffix().length];
      int at = 0;
      for (long[] p : parts) {
        System.arraycopy(p, 0, ids, at, p.length);
        at += p.length;
      }
      int promptEnd = responseStart + reply.firstTokenAtOrAfter(replyPiece.text().contentStart());
      if (promptEnd >= ids.length) {
        throw new TemplateRenderException(false, "turn " + turnId + ": the response renders to no tokens");
      }
      return new TokenizedTurn(turnId, ids, kept.length == 0 ? 0 : responseStart, promptEnd, drop);
    }
  }

  /** A message as the template writes it and as it is encoded. */
  private record Piece(MessageText text, TextEncoder.Encoded tokens) {}

  private Piece encode(ChatMessage message, boolean first) {
    MessageText text = layout.piece(message, first);
    return new Piece(text, encoder.encode(text));
  }

  /** Message-by-message ids must be the tokenizer's own ids for the whole rendered conversation. */
  private void checkAgainst(HuggingFaceTokenizer whole, boolean addSpecialTokens) {
    Turn turn = new Turn(PROBE);
    StringBuilder text = new StringBuilder(layout.start());
    for (int i = 0; i < turn.context.size(); i++) {
      text.append(turn.piece(i, i == 0).text().text());
    }
    text.append(turn.response(false).text().text());
    long[] expected = whole.encode(text.toString(), addSpecialTokens, false).getIds();
    long[] actual = turn.tokens(0).ids();
    if (!Arrays.equals(expected, actual)) {
      throw new IllegalArgumentException("the tokenizer does not encode a conversation as its messages put together "
          + "(it cuts text elsewhere than at the template's special tokens): " + Arrays.toString(expected)
          + " for the whole text, " + Arrays.toString(actual) + " message by message");
    }
  }

  @Override
  public void close() {
    encoder.close();
  }
}
