package io.queststream.model.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.Truncation;
import io.queststream.model.config.TextConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Turns a scoring request into one token sequence with its spans: substitutes the roleplay macros, renders each
 * message with the chat template once ({@link TemplateLayout}), encodes it so that only the template can write
 * special tokens ({@link TextEncoder}), and fits the conversation to the backbone. Dropping a message takes its tokens
 * out; nothing is rendered again.
 *
 * <p>Fitting, in this order:
 * <ol>
 *   <li>The whole turn within the context budget: nothing is cut.
 *   <li>Oldest history dropped, one message at a time, until the turn fits the context budget, or else the
 *       backbone's window ({@code maxTokens}): one window.
 *   <li>Otherwise the reply alone is too long for a window with the card, and it will be read in windows: the context
 *       (card, history and the assistant header) gets the context budget. Oldest history is dropped until it fits.
 *   <li>If the card alone does not fit, it is shortened: the scenario is cut (whole words, from the end), then the
 *       persona, then the name. The card's name is what stays longest.
 * </ol>
 * The reply itself is never cut here; the backbone's windows cover it up to their bound.
 *
 * <p>The prompt/response boundaries are token positions: the context ends where the response's piece starts, the
 * prompt (context plus the assistant header) where the response's text starts. Thread-safe: the native tokenizer is
 * shared.
 *
 * <p>Every turn of a conversation carries its history again, so each message is rendered and encoded once and its
 * piece kept in a bounded cache ({@link #pieceCacheWeight}), keyed by the whole role and text: a turn's history
 * costs lookups, not renders.
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
  private final String textPrefix;
  private final TextEncoder.Encoded start;
  private final long bosId;
  private final Cache<PieceKey, Piece> pieces;

  /**
   * Most the piece cache holds, in bytes as estimated by {@link PieceKey#weight}: the histories of a few thousand
   * conversations of the default history limits.
   */
  static final long PIECE_CACHE_MAX_WEIGHT = 64L << 20;

  private TurnTokenizer(TextEncoder encoder, ChatTemplate template, int contextBudget, int maxTokens,
      String textPrefix) {
    this.encoder = encoder;
    this.pieces = Caffeine.newBuilder().maximumWeight(pieceCacheWeight(Runtime.getRuntime().maxMemory()))
        .<PieceKey, Piece>weigher(PieceKey::weight).recordStats().build();
    this.layout = TemplateLayout.of(template);
    this.contextBudget = contextBudget;
    this.maxTokens = maxTokens;
    this.textPrefix = textPrefix;
    // The prefix is the project's text, not the user's: it is encoded with the template's structure.
    this.start = encoder.encode(MessageText.structure(textPrefix + layout.start()));
    this.bosId = template.bosToken().isEmpty() ? -1 : encoder.specialId(template.bosToken());
  }

  /**
   * Loads tokenizer.json and the chat template, and checks on a probe conversation that message-by-message encoding
   * gives exactly the ids the tokenizer gives the whole rendered conversation.
   *
   * @param textPrefix written before the rendered turn (the instruction prefix some encoders expect, e.g. e5's)
   * @throws IllegalArgumentException when the template or the tokenizer cannot be read message by message
   */
  public static TurnTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig, TextConfig text,
      int contextBudget, int maxTokens, String textPrefix) throws IOException {
    ChatTemplate template = ChatTemplate.forModel(tokenizerConfig, text);
    boolean addSpecialTokens = !template.rendersSpecialTokens();
    TextEncoder encoder = TextEncoder.load(tokenizerJson, addSpecialTokens);
    try (HuggingFaceTokenizer whole = HuggingFaceTokenizer.newInstance(tokenizerJson,
        Map.of("truncation", "false", "padding", "false", "addSpecialTokens", Boolean.toString(addSpecialTokens)))) {
      TurnTokenizer tokenizer = new TurnTokenizer(encoder, template, contextBudget, maxTokens, textPrefix);
      tokenizer.checkAgainst(whole, addSpecialTokens);
      return tokenizer;
    } catch (RuntimeException | IOException e) {
      encoder.close();
      throw e;
    }
  }

  /** {@link #load(Path, Optional, TextConfig, int, int, String)} without a text prefix. */
  public static TurnTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig, TextConfig text,
      int contextBudget, int maxTokens) throws IOException {
    return load(tokenizerJson, tokenizerConfig, text, contextBudget, maxTokens, "");
  }

  /** {@link #load(Path, Optional, TextConfig, int, int, String)} with the default text limits and no prefix. */
  public static TurnTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig, int contextBudget,
      int maxTokens) throws IOException {
    return load(tokenizerJson, tokenizerConfig, TextConfig.defaults(), contextBudget, maxTokens, "");
  }

  /**
   * Tokenizes the request and fits it in the documented order. The result is longer than {@code maxTokens} only
   * when the reply needs more than one window.
   *
   * @throws TemplateRenderException when the chat template cannot render the turn
   */
  public TokenizedTurn tokenize(ScoringRequest request) {
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
    int promptLimit = contextBudget - encoder.suffix().length;
    for (int drop = 0; drop <= history; drop++) {
      if (turn.promptLength(drop) <= promptLimit) {
        return turn.tokens(drop);
      }
    }
    turn.shortenCard(promptLimit);
    return turn.tokens(history);
  }

  /** Tokens of the fitted request, or the hard limit when the template cannot render it (scoring then fails). */
  public int tokenCount(ScoringRequest request) {
    try {
      return tokenize(request).length();
    } catch (TemplateRenderException e) {
      return maxTokens;
    }
  }

  /**
   * The piece cache's bound for a heap of {@code maxHeapBytes}: {@link #PIECE_CACHE_MAX_WEIGHT}, or a sixteenth of
   * the heap when that is less, so a small instance's cache never crowds out its stream state.
   */
  static long pieceCacheWeight(long maxHeapBytes) {
    return Math.min(PIECE_CACHE_MAX_WEIGHT, maxHeapBytes / 16);
  }

  /** Messages rendered and encoded so far: the piece cache's misses. */
  long piecesRendered() {
    return pieces.stats().missCount();
  }

  /** Tokens of a text on its own: no chat template, no special tokens. */
  public int textTokens(String text) {
    return encoder.count(text);
  }

  /**
   * One request's messages as encoded pieces. The context is the card's system message (kept always) and the
   * history; every message is encoded as a later message once, and as the first one only when it may start the
   * conversation after older history is dropped.
   */
  private final class Turn {
    private final String turnId;
    private final RoleplayMacros macros;
    private final CharacterProfile character;
    private final List<ChatMessage> context = new ArrayList<>();
    private final int keptAlways;
    private final Piece[] later;
    private final Piece[] first;
    private final ChatMessage response;
    private Piece responseLater;
    private Piece responseFirst;
    private boolean cardShortened;

    Turn(ScoringRequest request) {
      turnId = request.turnId();
      character = bounded(request.character());
      cardShortened = character != request.character();
      macros = new RoleplayMacros(character == null ? null : character.name(), request.userName());
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

    /** Tokens before the response's piece: the tokenizer's prefix, the template's start, the kept context. */
    private int contextLength(int[] kept) {
      int n = encoder.prefix().length + start.length();
      for (int k = 0; k < kept.length; k++) {
        n += piece(kept[k], k == 0).tokens().length();
      }
      return n;
    }

    int length(int drop) {
      int[] kept = kept(drop);
      return contextLength(kept) + response(kept.length == 0).tokens().length() + encoder.suffix().length;
    }

    /** Tokens up to the start of the reply's text: the context and the assistant header. */
    int promptLength(int drop) {
      int[] kept = kept(drop);
      Piece reply = response(kept.length == 0);
      return contextLength(kept) + reply.tokens().firstTokenAtOrAfter(reply.text().contentStart());
    }

    /**
     * Shortens the card until the prompt with all history dropped fits {@code limit}: the scenario, then the
     * persona, then the name, each cut by as little as needed.
     */
    void shortenCard(int limit) {
      if (keptAlways == 0) {
        return;
      }
      cardShortened = true;
      CharacterProfile c = character;
      String[] scenario = words(c.scenario());
      String[] persona = words(c.persona());
      if (cutToFit(scenario.length, n -> profile(c.name(), c.persona(), join(scenario, n)), limit)) {
        return;
      }
      if (cutToFit(persona.length, n -> profile(c.name(), join(persona, n), ""), limit)) {
        return;
      }
      String name = c.name() == null ? "" : c.name().trim();
      if (!cutToFit(name.codePointCount(0, name.length()),
          n -> profile(name.substring(0, name.offsetByCodePoints(0, n)), "", ""), limit)) {
        throw new IllegalArgumentException("turn " + turnId + ": the context budget of " + contextBudget
            + " tokens cannot hold the assistant header");
      }
    }

    /**
     * Installs the card {@code cut(n)} for the largest n in [0, max] whose prompt fits; false when even n = 0 does
     * not fit (the smallest card is then installed).
     */
    private boolean cutToFit(int max, IntFunction<CharacterProfile> cut, int limit) {
      int lo = 0;
      int hi = max;
      if (!fitsWith(cut.apply(0), limit)) {
        return false;
      }
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (fitsWith(cut.apply(mid), limit)) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      fitsWith(cut.apply(lo), limit);
      return true;
    }

    /** Installs the card as the conversation's first message and says whether the prompt then fits. */
    private boolean fitsWith(CharacterProfile card, int limit) {
      String system = SystemPrompt.of(card, macros).orElse("");
      context.set(0, new ChatMessage("system", system));
      first[0] = encode(context.get(0), true);
      return promptLength(historySize()) <= limit;
    }

    private CharacterProfile profile(String name, String persona, String scenario) {
      return new CharacterProfile(character.characterId(), name, persona, scenario);
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
      int replyEnd = responseStart + reply.firstTokenAtOrAfter(replyPiece.text().contentEnd());
      if (promptEnd >= ids.length) {
        throw new TemplateRenderException(false, "turn " + turnId + ": the response renders to no tokens");
      }
      int prefix = encoder.prefix().length;
      int lead = prefix + (bosId >= 0 && ids.length > prefix && ids[prefix] == bosId ? 1 : 0);
      Set<Truncation> truncation = EnumSet.noneOf(Truncation.class);
      if (drop > 0) {
        truncation.add(Truncation.HISTORY_DROPPED);
      }
      if (cardShortened) {
        truncation.add(Truncation.CARD_SHORTENED);
      }
      int unknown = 0;
      for (int i = promptEnd; i < replyEnd; i++) {
        unknown += ids[i] == encoder.unknownId() ? 1 : 0;
      }
      return new TokenizedTurn(turnId, ids, kept.length == 0 ? 0 : responseStart, promptEnd, replyEnd, lead,
          encoder.suffix().length, drop, truncation, unknown);
    }
  }

  /**
   * The card with its persona and scenario cut to the window's length in words when they are longer. Every word is
   * at least one token, so such a field can never be read whole and fitting would shorten it to fewer words anyway;
   * cutting it first bounds the work of fitting a card by the window instead of by what the card's author wrote (a
   * 900 KB persona held the caller's thread for seconds on every turn). A word the tokenizer drops entirely (only
   * private-use characters, say) just makes the cut earlier.
   */
  private CharacterProfile bounded(CharacterProfile card) {
    if (card == null) {
      return null;
    }
    String persona = atMostWords(card.persona(), maxTokens);
    String scenario = atMostWords(card.scenario(), maxTokens);
    return persona == card.persona() && scenario == card.scenario() ? card
        : new CharacterProfile(card.characterId(), card.name(), persona, scenario);
  }

  private static String atMostWords(String text, int max) {
    String[] words = words(text);
    return words.length <= max ? text : join(words, max);
  }

  private static String[] words(String text) {
    return text == null || text.isBlank() ? new String[0] : text.trim().split("\\s+");
  }

  private static String join(String[] words, int n) {
    return String.join(" ", Arrays.asList(words).subList(0, n));
  }

  /** A message as the template writes it and as it is encoded. Shared through the cache: never changed. */
  private record Piece(MessageText text, TextEncoder.Encoded tokens) {}

  /** A message as a piece of the conversation: its role, its text after macros, and whether it comes first. */
  private record PieceKey(String role, String text, boolean first) {

    /** Bytes held by an entry: message and render as UTF-16, 12 per token (id and start), a fixed overhead. */
    int weight(Piece piece) {
      long bytes = 2L * (text.length() + piece.text().text().length()) + 12L * piece.tokens().length() + 128;
      return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
  }

  /**
   * The cached piece, or a new one. Rendering happens outside the cache's locks (a slow render never holds up
   * another thread's lookup); two threads that miss the same message at once both render it, and either result is
   * the same.
   */
  private Piece encode(ChatMessage message, boolean first) {
    PieceKey key = new PieceKey(message.role(), message.text(), first);
    Piece cached = pieces.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    MessageText text = layout.piece(message, first);
    Piece piece = new Piece(text, encoder.encode(text));
    pieces.put(key, piece);
    return piece;
  }

  /** Message-by-message ids must be the tokenizer's own ids for the whole rendered conversation. */
  private void checkAgainst(HuggingFaceTokenizer whole, boolean addSpecialTokens) {
    Turn turn = new Turn(PROBE);
    StringBuilder text = new StringBuilder(textPrefix + layout.start());
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
