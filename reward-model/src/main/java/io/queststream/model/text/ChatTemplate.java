package io.queststream.model.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import io.queststream.model.api.ChatMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's chat template (Jinja, as in Hugging Face {@code tokenizer_config.json}) rendered with Jinjava under the
 * settings transformers uses ({@code trim_blocks}, {@code lstrip_blocks}). Encoders such as MiniLM ship no template;
 * they get the project's plain "role: text" template, which the tokenizer then wraps in its own special tokens.
 */
public final class ChatTemplate {

  private static final String DEFAULT_TEMPLATE_RESOURCE = "default-chat-template.jinja";

  private final String source;
  private final String bosToken;
  private final String eosToken;
  private final boolean fromModel;
  private final Jinjava jinjava;

  private ChatTemplate(String source, String bosToken, String eosToken, boolean fromModel) {
    this.source = source;
    this.bosToken = bosToken;
    this.eosToken = eosToken;
    this.fromModel = fromModel;
    LegacyOverrides python = LegacyOverrides.newBuilder()
        .withUseNaturalOperatorPrecedence(true)
        .withParseWhitespaceControlStrictly(true)
        .withHandleBackslashInQuotesOnly(true)
        .withKeepNullableLoopValues(true)
        .build();
    this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        .withLegacyOverrides(python)
        .build());
  }

  /** The template in the model's tokenizer_config.json, or the project default when it has none. */
  public static ChatTemplate forModel(Optional<Path> tokenizerConfig) throws IOException {
    if (tokenizerConfig.isEmpty()) {
      return projectDefault();
    }
    JsonNode cfg = new ObjectMapper().readTree(tokenizerConfig.get().toFile());
    Optional<String> template = templateOf(cfg.path("chat_template"));
    if (template.isEmpty()) {
      return projectDefault();
    }
    return new ChatTemplate(template.get(), tokenText(cfg.path("bos_token")), tokenText(cfg.path("eos_token")), true);
  }

  public static ChatTemplate projectDefault() {
    try (InputStream in = ChatTemplate.class.getResourceAsStream(DEFAULT_TEMPLATE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_TEMPLATE_RESOURCE);
      }
      return new ChatTemplate(new String(in.readAllBytes(), StandardCharsets.UTF_8), "", "", false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * True when the template comes from the model: it writes the model's special tokens itself, so the tokenizer must
   * not add its own (transformers' apply_chat_template does the same).
   */
  public boolean rendersSpecialTokens() {
    return fromModel;
  }

  /**
   * The three texts a scored turn needs, each a prefix of the next: the context alone, the context with the
   * assistant header (the prompt), and the whole conversation with the response.
   */
  public record TurnTexts(String context, String prompt, String full) {}

  /**
   * Renders a turn. Some templates (early Llama-3 configs among them) append the assistant header whether or not a
   * generation prompt is asked for; their header is what they render for no messages, and it is cut from the end of
   * the context and of the full conversation so both end where the model's turns end.
   *
   * @throws IllegalArgumentException when the renderings are not prefixes of each other
   */
  public TurnTexts renderTurn(List<ChatMessage> context, ChatMessage response) {
    List<ChatMessage> full = new ArrayList<>(context);
    full.add(response);
    String contextText = context.isEmpty() ? "" : render(context, false);
    String promptText = render(context, true);
    String fullText = render(full, false);
    if (!context.isEmpty() && contextText.equals(promptText)) {
      String header = render(List.of(), false);
      if (!bosToken.isEmpty() && header.startsWith(bosToken)) {
        header = header.substring(bosToken.length());
      }
      if (!header.isEmpty() && contextText.endsWith(header) && fullText.endsWith(header)) {
        contextText = contextText.substring(0, contextText.length() - header.length());
        fullText = fullText.substring(0, fullText.length() - header.length());
      }
    }
    if (!promptText.startsWith(contextText) || !fullText.startsWith(promptText)) {
      throw new IllegalArgumentException("the chat template does not render the conversation as a prefix of the "
          + "conversation with the response, so no prompt/response boundary exists");
    }
    return new TurnTexts(contextText, promptText, fullText);
  }

  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
    for (ChatMessage m : messages) {
      Map<String, Object> msg = new LinkedHashMap<>();
      msg.put("role", m.role());
      msg.put("content", m.text());
      msgs.add(msg);
    }
    Map<String, Object> context = new HashMap<>();
    context.put("messages", msgs);
    context.put("add_generation_prompt", addGenerationPrompt);
    context.put("bos_token", bosToken);
    context.put("eos_token", eosToken);
    RenderResult result = jinjava.renderForResult(source, context);
    List<TemplateError> fatal = result.getErrors().stream()
        .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
        .toList();
    if (!fatal.isEmpty()) {
      throw new IllegalArgumentException("chat template failed: " + fatal.get(0).getMessage());
    }
    return result.getOutput();
  }

  /** chat_template is either a string or a list of named templates, of which "default" is the chat one. */
  private static Optional<String> templateOf(JsonNode node) {
    if (node.isTextual()) {
      return Optional.of(node.asText());
    }
    if (node.isArray()) {
      for (JsonNode named : node) {
        if ("default".equals(named.path("name").asText())) {
          return Optional.of(named.path("template").asText());
        }
      }
    }
    return Optional.empty();
  }

  /** Special tokens appear either as plain strings or as AddedToken objects with a "content" field. */
  private static String tokenText(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isObject()) {
      return node.path("content").asText("");
    }
    return "";
  }
}
