package io.queststream.model.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.config.TextConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model's chat template (Jinja, as in Hugging Face {@code tokenizer_config.json}) rendered with Jinjava under the
 * settings transformers uses ({@code trim_blocks}, {@code lstrip_blocks}). Encoders such as MiniLM ship no template;
 * they get the project's plain "role: text" template, which the tokenizer then wraps in its own special tokens.
 *
 * <p>Only the template is code. Message text is data: Jinjava's nested interpretation (re-rendering whatever an
 * expression writes as template source, on by default) is off, so {@code {{ 7*7 }}} in a message is written as those
 * nine characters, as Jinja2 in transformers writes it. Every render is bounded in output size and in time; a
 * render past either bound fails with {@link TemplateRenderException#limitExceeded()}.
 */
public final class ChatTemplate {

  private static final String DEFAULT_TEMPLATE_RESOURCE = "default-chat-template.jinja";
  private static final String TEMPLATE_FILE = "chat_template.jinja";
  private static final Set<TemplateError.ErrorReason> SIZE_LIMITS = Set.of(TemplateError.ErrorReason.OUTPUT_TOO_BIG,
      TemplateError.ErrorReason.COLLECTION_TOO_BIG, TemplateError.ErrorReason.OVER_LIMIT);
  /** Jinjava's collection bound: far above any chat's message count, far below what would exhaust memory. */
  private static final int MAX_COLLECTION_SIZE = 100_000;
  /** The deadline of the render running on this thread; Jinjava renders on the caller's thread. */
  private static final ThreadLocal<RenderDeadline> DEADLINE = new ThreadLocal<>();

  private final String source;
  private final String bosToken;
  private final String eosToken;
  private final boolean fromModel;
  private final TextConfig limits;
  private final Jinjava jinjava;

  private ChatTemplate(String source, String bosToken, String eosToken, boolean fromModel, TextConfig limits) {
    this.source = source;
    this.bosToken = bosToken;
    this.eosToken = eosToken;
    this.fromModel = fromModel;
    this.limits = limits;
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
        .withNestedInterpretationEnabled(false)
        .withMaxOutputSize(limits.maxRenderChars())
        .withMaxStringLength(limits.maxRenderChars())
        .withMaxListSize(MAX_COLLECTION_SIZE)
        .withMaxMapSize(MAX_COLLECTION_SIZE)
        .withNodePreProcessor((node, interpreter) -> {
          RenderDeadline deadline = DEADLINE.get();
          if (deadline != null) {
            deadline.check();
          }
        })
        .build());
  }

  /**
   * The model's template, or the project default when it has none. Transformers from 4.47 on saves the template as
   * {@code chat_template.jinja} beside {@code tokenizer_config.json} and, when both hold one, loads the file's: so
   * does this.
   */
  public static ChatTemplate forModel(Optional<Path> tokenizerConfig, TextConfig limits) throws IOException {
    if (tokenizerConfig.isEmpty()) {
      return projectDefault(limits);
    }
    JsonNode cfg = new ObjectMapper().readTree(tokenizerConfig.get().toFile());
    Path jinjaFile = tokenizerConfig.get().resolveSibling(TEMPLATE_FILE);
    Optional<String> template = Files.isRegularFile(jinjaFile)
        ? Optional.of(Files.readString(jinjaFile, StandardCharsets.UTF_8))
        : templateOf(cfg.path("chat_template"));
    if (template.isEmpty()) {
      return projectDefault(limits);
    }
    return new ChatTemplate(template.get(), tokenText(cfg.path("bos_token")), tokenText(cfg.path("eos_token")), true,
        limits);
  }

  public static ChatTemplate projectDefault(TextConfig limits) {
    try (InputStream in = ChatTemplate.class.getResourceAsStream(DEFAULT_TEMPLATE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_TEMPLATE_RESOURCE);
      }
      return new ChatTemplate(new String(in.readAllBytes(), StandardCharsets.UTF_8), "", "", false, limits);
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

  /** The model's beginning-of-sequence token as the template writes it; empty when it has none. */
  public String bosToken() {
    return bosToken;
  }

  /**
   * Renders the messages as the template writes them.
   *
   * @throws TemplateRenderException when the template fails or a render limit is exceeded
   */
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
    RenderDeadline deadline = new RenderDeadline(limits.maxRenderTime().toNanos());
    DEADLINE.set(deadline);
    RenderResult result;
    try {
      result = jinjava.renderForResult(source, context);
    } finally {
      DEADLINE.remove();
    }
    if (deadline.expired) {
      throw new TemplateRenderException(true, "chat template render ran past its time limit of "
          + limits.maxRenderTime().toMillis() + " ms of CPU time");
    }
    List<TemplateError> fatal = result.getErrors().stream()
        .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
        .toList();
    if (!fatal.isEmpty()) {
      TemplateError first = fatal.get(0);
      if (fatal.stream().anyMatch(ChatTemplate::isSizeLimit)) {
        throw new TemplateRenderException(true, "chat template render exceeded its size limit of "
            + limits.maxRenderChars() + " characters: " + first.getMessage());
      }
      throw new TemplateRenderException(false, "chat template failed: " + first.getMessage());
    }
    return result.getOutput();
  }

  private static boolean isSizeLimit(TemplateError e) {
    // A limit hit inside an expression surfaces as an EXCEPTION error whose message names the limit.
    return SIZE_LIMITS.contains(e.getReason()) || String.valueOf(e.getMessage()).contains("OutputTooBigException")
        || String.valueOf(e.getMessage()).contains("CollectionTooBigException");
  }

  /**
   * Fails the render from Jinjava's node hook once it has used its time, and Jinjava reports it as a fatal error. The
   * time is the rendering thread's CPU time: a render bomb burns CPU and is stopped all the same, while a machine too
   * busy to give the thread a core does not fail a valid turn. Wall time where the JVM cannot measure a thread's CPU.
   */
  private static final class RenderDeadline {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    private final long deadlineNanos;
    private boolean expired;

    RenderDeadline(long budgetNanos) {
      this.deadlineNanos = now() + budgetNanos;
    }

    private static long now() {
      return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    void check() {
      if (now() - deadlineNanos > 0) {
        expired = true;
        throw new IllegalStateException("render time limit reached");
      }
    }
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
