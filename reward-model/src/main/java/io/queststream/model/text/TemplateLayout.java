package io.queststream.model.text;

import io.queststream.model.api.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chat template seen message by message. Chat templates write a conversation as what comes before any message,
 * then one piece per message, where only the first message's piece may differ from how the same message is written
 * later on (Llama-3 puts {@code <|begin_of_text|>} there, Llama-3.1 its dated system block, Qwen its default system
 * message). So each message is rendered once, on its own, and dropping history never renders again: the
 * conversation is the pieces put together. {@link #of} checks that the template really works this way on probe
 * conversations and rejects one that does not.
 *
 * <p>Message content is rendered between markers ({@link MessageText#mark}), so every piece knows which of its
 * characters are data. Templates that always append the assistant header, even when no generation prompt is asked
 * for (early Llama-3 configs), have that header cut from the end of their renders, as it was never part of the
 * conversation.
 */
final class TemplateLayout {

  private static final ChatMessage SYSTEM = new ChatMessage("system", "Probe system text.");
  private static final ChatMessage USER = new ChatMessage("user", "First probe question?");
  private static final ChatMessage ASSISTANT = new ChatMessage("assistant", "A probe answer.");
  private static final ChatMessage USER_AGAIN = new ChatMessage("user", "Second probe question?");

  private final ChatTemplate template;
  private final String trailingHeader;
  private final String start;
  /** What the template writes for the one message placed before a piece, by that message's role. */
  private final Map<String, String> precedingRenders = new ConcurrentHashMap<>();

  private TemplateLayout(ChatTemplate template, String trailingHeader) {
    this.template = template;
    this.trailingHeader = trailingHeader;
    this.start = render(List.of(), false);
  }

  /**
   * Lays the template out and checks it on probe conversations: each must render as the pieces put together, and
   * the assistant's header in its piece must be the generation prompt the template writes.
   *
   * @throws IllegalArgumentException when the template does not lay conversations out message by message
   */
  static TemplateLayout of(ChatTemplate template) {
    TemplateLayout layout = new TemplateLayout(template, alwaysAppendedHeader(template));
    for (List<ChatMessage> probe : List.of(List.of(SYSTEM, USER, ASSISTANT, USER_AGAIN), List.of(USER, ASSISTANT),
        List.of(SYSTEM), List.of(ASSISTANT))) {
      String whole = layout.render(probe, false);
      StringBuilder pieces = new StringBuilder(layout.start);
      for (int i = 0; i < probe.size(); i++) {
        pieces.append(layout.piece(probe.get(i), i == 0).text());
      }
      if (!whole.contentEquals(pieces)) {
        throw new IllegalArgumentException("the chat template does not write a conversation message by message, "
            + "so turns cannot be rendered one message at a time: " + roles(probe) + " renders as\n" + whole
            + "\nbut its messages render as\n" + pieces);
      }
    }
    for (List<ChatMessage> context : List.of(List.of(SYSTEM, USER), List.of(USER))) {
      String without = layout.render(context, false);
      String with = layout.render(context, true);
      MessageText reply = layout.piece(ASSISTANT, false);
      String header = reply.text().substring(0, reply.contentStart());
      if (!with.equals(without) && !with.equals(without + header)) {
        throw new IllegalArgumentException("the chat template's generation prompt after " + roles(context) + " is '"
            + with.substring(Math.min(with.length(), without.length())) + "', but it writes an assistant message "
            + "after the header '" + header + "', so no prompt/response boundary exists");
      }
    }
    return layout;
  }

  /** What the template writes before the first message. */
  String start() {
    return start;
  }

  /**
   * A message as the template writes it: as the conversation's first message, or after others.
   *
   * @throws TemplateRenderException when the render fails, exceeds a limit or does not extend what comes before
   */
  MessageText piece(ChatMessage message, boolean first) {
    ChatMessage marked = new ChatMessage(message.role(), MessageText.mark(message.text()));
    if (first) {
      return MessageText.unmark(after(start, render(List.of(marked), false)));
    }
    ChatMessage before = "user".equals(message.role()) ? ASSISTANT : USER;
    String preceding = precedingRenders.computeIfAbsent(before.role(), r -> render(List.of(before), false));
    return MessageText.unmark(after(preceding, render(List.of(before, marked), false)));
  }

  private String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    String rendered = template.render(messages, addGenerationPrompt);
    if (trailingHeader.isEmpty() || addGenerationPrompt) {
      return rendered;
    }
    if (!rendered.endsWith(trailingHeader)) {
      throw new TemplateRenderException(false, "the chat template did not end with the assistant header '"
          + trailingHeader + "' it otherwise always appends");
    }
    return rendered.substring(0, rendered.length() - trailingHeader.length());
  }

  private static String after(String prefix, String rendered) {
    if (!rendered.startsWith(prefix)) {
      throw new TemplateRenderException(false, "the chat template does not write a message after what it writes "
          + "before it");
    }
    return rendered.substring(prefix.length());
  }

  /**
   * The assistant header of templates that append it whether or not a generation prompt is asked for: what they
   * render for no messages, less the BOS token; empty for templates that honour add_generation_prompt.
   */
  private static String alwaysAppendedHeader(ChatTemplate template) {
    String without = template.render(List.of(USER), false);
    if (!without.equals(template.render(List.of(USER), true))) {
      return "";
    }
    String header = template.render(List.of(), false);
    String bos = template.bosToken();
    if (!bos.isEmpty() && header.startsWith(bos)) {
      header = header.substring(bos.length());
    }
    return without.endsWith(header) ? header : "";
  }

  private static List<String> roles(List<ChatMessage> messages) {
    List<String> roles = new ArrayList<>(messages.size());
    messages.forEach(m -> roles.add(m.role()));
    return roles;
  }
}
