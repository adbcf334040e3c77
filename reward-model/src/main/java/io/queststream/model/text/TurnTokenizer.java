package io.queststream.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a scoring request into token ids and spans: renders the conversation with the chat template, drops the
 * oldest history until it fits the context budget (the card and the scored response always stay), and finds the
 * prompt/response boundaries from the tokenizer's own offsets.
 *
 * <p>The boundaries come from three renderings of the same messages ({@link ChatTemplate#renderTurn}) — the context
 * alone, the context plus the assistant header, and the full conversation with the response — each a prefix of the
 * next.
 * The full text is tokenized once; the char offsets of its tokens place each boundary on a token, so merges and
 * special tokens are exactly those the backbone sees. Thread-safe: the native tokenizer is shared.
 */
public final class TurnTokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;
  private final ChatTemplate template;
  private final int contextBudget;
  private final int maxTokens;
  private final String textPrefix;

  public TurnTokenizer(HuggingFaceTokenizer tokenizer, ChatTemplate template, int contextBudget, int maxTokens) {
    this(tokenizer, template, contextBudget, maxTokens, "");
  }

  /** @param textPrefix written before the rendered turn (the instruction prefix some encoders expect, e.g. e5's) */
  public TurnTokenizer(HuggingFaceTokenizer tokenizer, ChatTemplate template, int contextBudget, int maxTokens,
      String textPrefix) {
    this.tokenizer = tokenizer;
    this.template = template;
    this.contextBudget = contextBudget;
    this.maxTokens = maxTokens;
    this.textPrefix = textPrefix;
  }

  /** Loads tokenizer.json with its own truncation and padding switched off: both are this class's job. */
  public static TurnTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig, int contextBudget,
      int maxTokens) throws IOException {
    return load(tokenizerJson, tokenizerConfig, contextBudget, maxTokens, "");
  }

  /** As {@link #load(Path, Optional, int, int)}, with a text prefix before every rendered turn. */
  public static TurnTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig, int contextBudget,
      int maxTokens, String textPrefix) throws IOException {
    ChatTemplate template = ChatTemplate.forModel(tokenizerConfig);
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
        "truncation", "false",
        "padding", "false",
        "addSpecialTokens", Boolean.toString(!template.rendersSpecialTokens())));
    return new TurnTokenizer(tokenizer, template, contextBudget, maxTokens, textPrefix);
  }

  public ChatTemplate template() {
    return template;
  }

  /**
   * Tokenizes the request, dropping as little history as needed to fit the context budget; a turn that cannot fit
   * the budget may still run if it fits the backbone's hard limit.
   */
  public TokenizedTurn tokenize(ScoringRequest request) throws TurnTooLongException {
    List<ChatMessage> history = request.history();
    TokenizedTurn all = tokenize(request, 0);
    if (all.length() <= contextBudget) {
      return all;
    }
    TokenizedTurn fitting = smallestDropWithin(request, contextBudget);
    if (fitting == null) {
      fitting = smallestDropWithin(request, maxTokens);
    }
    if (fitting == null) {
      throw new TurnTooLongException(request.turnId(), tokenize(request, history.size()).length(), maxTokens);
    }
    return fitting;
  }

  /** Tokens the request occupies after truncation; the full-drop count when it cannot fit at all. */
  public int tokenCount(ScoringRequest request) {
    try {
      return tokenize(request).length();
    } catch (TurnTooLongException e) {
      return e.tokens();
    }
  }

  /** Tokens of a text on its own: no chat template, no special tokens. */
  public int textTokens(String text) {
    return tokenizer.encode(text, false, false).getIds().length;
  }

  /** Binary search for the fewest dropped messages that fit {@code limit}; tokens shrink as messages go. */
  private TokenizedTurn smallestDropWithin(ScoringRequest request, int limit) {
    int lo = 1;
    int hi = request.history().size();
    TokenizedTurn best = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      TokenizedTurn t = tokenize(request, mid);
      if (t.length() <= limit) {
        best = t;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return best;
  }

  private TokenizedTurn tokenize(ScoringRequest request, int drop) {
    List<ChatMessage> context = new ArrayList<>();
    SystemPrompt.of(request.character()).ifPresent(s -> context.add(new ChatMessage("system", s)));
    List<ChatMessage> history = request.history();
    context.addAll(history.subList(drop, history.size()));
    ChatTemplate.TurnTexts texts;
    try {
      texts = template.renderTurn(context, new ChatMessage("assistant", request.response()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("turn " + request.turnId() + ": " + e.getMessage(), e);
    }
    String fullText = textPrefix + texts.full();
    Encoding encoding = tokenizer.encode(fullText, !template.rendersSpecialTokens(), false);
    long[] ids = encoding.getIds();
    CharSpan[] spans = encoding.getCharTokenSpans();
    int contextEnd = firstTokenAtOrAfter(spans, textPrefix.length() + texts.context().length());
    int promptEnd = firstTokenAtOrAfter(spans, textPrefix.length() + texts.prompt().length());
    if (promptEnd >= ids.length) {
      throw new IllegalArgumentException("turn " + request.turnId() + ": the response renders to no tokens");
    }
    return new TokenizedTurn(request.turnId(), ids, contextEnd, promptEnd, drop);
  }

  /**
   * Index of the first token whose text starts at or after {@code charPos}. Tokens without a span (special tokens
   * the tokenizer adds, such as [CLS]) belong to the side they stand on.
   */
  private static int firstTokenAtOrAfter(CharSpan[] spans, int charPos) {
    for (int i = 0; i < spans.length; i++) {
      CharSpan s = spans[i];
      if (s != null && s.getEnd() > s.getStart() && s.getStart() >= charPos) {
        return i;
      }
    }
    for (int i = spans.length - 1; i >= 0; i--) {
      CharSpan s = spans[i];
      if (s != null && s.getEnd() > s.getStart()) {
        return s.getEnd() <= charPos ? i + 1 : i;
      }
    }
    return 0;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
