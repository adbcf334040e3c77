package io.queststream.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.config.TextConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {

  private static final List<ChatMessage> CHAT =
      List.of(new ChatMessage("system", "You are Mira."), new ChatMessage("user", "  Hi!  "));

  @Test
  void defaultTemplateWritesOneRoleLinePerMessageAndAnAssistantCue() {
    ChatTemplate t = ChatTemplate.projectDefault(TextConfig.defaults());

    assertThat(t.render(CHAT, false)).isEqualTo("system: You are Mira.\nuser: Hi!\n");
    assertThat(t.render(CHAT, true)).isEqualTo("system: You are Mira.\nuser: Hi!\nassistant: ");
    assertThat(t.rendersSpecialTokens()).isFalse();
  }

  @Test
  void rendersTheModelsOwnJinjaTemplateWithPythonSemantics(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("tokenizer_config.json");
    Files.writeString(cfg, """
        {"bos_token": {"content": "<s>"}, "eos_token": "</s>",
         "chat_template": "{{ bos_token }}{% for m in messages %}{% if loop.first and m['role'] == 'system' %}[SYS]{{ m['content'] }}[/SYS]\\n{% else %}{{ '<' + m['role'] + '>\\\\n' + m['content'] | trim + eos_token }}{% endif %}{% endfor %}{% if add_generation_prompt %}<assistant>\\n{% endif %}"}
        """);

    ChatTemplate t = ChatTemplate.forModel(Optional.of(cfg), TextConfig.defaults());

    assertThat(t.rendersSpecialTokens()).isTrue();
    assertThat(t.render(CHAT, true)).isEqualTo("<s>[SYS]You are Mira.[/SYS]\n<user>\nHi!</s><assistant>\n");
  }

  @Test
  void aChatTemplateJinjaFileBesideTheConfigIsTheTemplateAsTransformersSavesIt(@TempDir Path dir) throws Exception {
    Path cfg = modelTemplate(dir, "config template {{ messages[0]['content'] }}");
    Files.writeString(dir.resolve("chat_template.jinja"),
        "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] | trim }}<|end|>{% endfor %}"
            + "{% if add_generation_prompt %}<assistant>{% endif %}");

    ChatTemplate t = ChatTemplate.forModel(Optional.of(cfg), TextConfig.defaults());

    assertThat(t.rendersSpecialTokens()).isTrue();
    assertThat(t.render(CHAT, true)).isEqualTo("<system>You are Mira.<|end|><user>Hi!<|end|><assistant>");
  }

  @Test
  void aChatTemplateJinjaFileAloneMakesTheModelsTemplate(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("tokenizer_config.json");
    Files.writeString(cfg, "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}");
    Files.writeString(dir.resolve("chat_template.jinja"),
        "{{ bos_token }}{% for m in messages %}{{ m['content'] | trim + eos_token }}{% endfor %}");

    ChatTemplate t = ChatTemplate.forModel(Optional.of(cfg), TextConfig.defaults());

    assertThat(t.render(CHAT, false)).isEqualTo("<s>You are Mira.</s>Hi!</s>");
  }

  /** Template source that would run if message text were ever interpreted. */
  private static final String[] HOSTILE_TEXTS = {
      "{{ 7*7 }}",
      "{{ messages[0].content }}",
      "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}boom{% endfor %}{% endfor %}"
          + "{% endfor %}",
      "{# a comment #} }} {% if true %}unbalanced",
      "{{ '{{ 7*7 }}' }}",
  };

  @Test
  void messageTextIsWrittenVerbatimAndNeverRunAsTemplateCode() {
    ChatTemplate t = ChatTemplate.projectDefault(TextConfig.defaults());
    for (String hostile : HOSTILE_TEXTS) {
      List<ChatMessage> chat = List.of(new ChatMessage("system", "The hidden persona."),
          new ChatMessage("user", hostile));

      assertThat(t.render(chat, true)).as(hostile)
          .isEqualTo("system: The hidden persona.\nuser: " + hostile + "\nassistant: ");
    }
  }

  @Test
  void aModelTemplateWritesMessageTextVerbatimToo(@TempDir Path dir) throws Exception {
    ChatTemplate t = ChatTemplate.forModel(Optional.of(modelTemplate(dir,
        "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] | trim }}<|end|>{% endfor %}")),
        TextConfig.defaults());
    for (String hostile : HOSTILE_TEXTS) {
      assertThat(t.render(List.of(new ChatMessage("user", hostile)), false)).as(hostile)
          .isEqualTo("<|user|>" + hostile + "<|end|>");
    }
  }

  @Test
  void aRenderLongerThanTheSizeLimitFailsAsALimit() {
    ChatTemplate t = ChatTemplate.projectDefault(TextConfig.defaults().withRenderLimits(2_000, Duration.ofSeconds(2)));
    List<ChatMessage> chat = List.of(new ChatMessage("user", "x".repeat(3_000)));

    assertThatThrownBy(() -> t.render(chat, false))
        .isInstanceOfSatisfying(TemplateRenderException.class, e -> assertThat(e.limitExceeded()).isTrue())
        .hasMessageContaining("size limit of 2000 characters");
    assertThat(t.render(List.of(new ChatMessage("user", "x".repeat(1_000))), false)).hasSize(1_007);
  }

  @Test
  void aTemplateThatLoopsPastTheTimeLimitFailsAsALimit(@TempDir Path dir) throws Exception {
    ChatTemplate t = ChatTemplate.forModel(Optional.of(modelTemplate(dir,
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% set x = a %}{% endfor %}"
            + "{% endfor %}{% endfor %}{{ messages[0]['content'] }}")),
        TextConfig.defaults().withRenderLimits(1_000_000, Duration.ofMillis(50)));

    assertThatThrownBy(() -> t.render(List.of(new ChatMessage("user", "hi")), false))
        .isInstanceOfSatisfying(TemplateRenderException.class, e -> assertThat(e.limitExceeded()).isTrue())
        .hasMessageContaining("time limit of 50 ms of CPU time");
  }

  @Test
  void aTemplateErrorIsNotALimit(@TempDir Path dir) throws Exception {
    ChatTemplate t = ChatTemplate.forModel(Optional.of(modelTemplate(dir,
        "{% for m in messages %}{% if m['role'] == 'user' %}{{ raise_exception('roles must alternate') }}"
            + "{% endif %}{% endfor %}")), TextConfig.defaults());

    assertThatThrownBy(() -> t.render(List.of(new ChatMessage("user", "hi")), false))
        .isInstanceOfSatisfying(TemplateRenderException.class, e -> assertThat(e.limitExceeded()).isFalse())
        .hasMessageContaining("chat template failed");
  }

  private static Path modelTemplate(Path dir, String template) throws Exception {
    Path cfg = dir.resolve("tokenizer_config.json");
    Files.writeString(cfg, new ObjectMapper().writeValueAsString(
        Map.of("bos_token", "", "eos_token", "<|end|>", "chat_template", template)));
    return cfg;
  }
}
