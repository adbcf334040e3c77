package io.queststream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {

  private static final List<ChatMessage> CHAT =
      List.of(new ChatMessage("system", "You are Mira."), new ChatMessage("user", "  Hi!  "));

  @Test
  void defaultTemplateWritesOneRoleLinePerMessageAndAnAssistantCue() {
    ChatTemplate t = ChatTemplate.projectDefault();

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

    ChatTemplate t = ChatTemplate.forModel(Optional.of(cfg));

    assertThat(t.rendersSpecialTokens()).isTrue();
    assertThat(t.render(CHAT, true)).isEqualTo("<s>[SYS]You are Mira.[/SYS]\n<user>\nHi!</s><assistant>\n");
  }
}
