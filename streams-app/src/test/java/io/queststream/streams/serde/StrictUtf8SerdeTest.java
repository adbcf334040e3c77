package io.queststream.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.streams.serde.StrictUtf8Serde.MalformedKeyException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8SerdeTest {

  private final StrictUtf8Serde serde = new StrictUtf8Serde();

  @Test
  void validUtf8RoundTripsWhateverItsScript() {
    String key = "conv-\u00e9\u4f1a\u8a71-\ud83d\udc09-\ufffd";
    byte[] bytes = serde.serializer().serialize("chat-turns", key);

    assertThat(bytes).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
    assertThat(serde.deserializer().deserialize("chat-turns", bytes)).isEqualTo(key);
    assertThat(serde.deserializer().deserialize("chat-turns", new byte[0])).isEmpty();
    assertThat(serde.deserializer().deserialize("chat-turns", null)).isNull();
  }

  @Test
  void aStrayByteIsRefusedWithWhereItIs() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("chat-turns", new byte[] {'a', 'b', (byte) 0xff}))
        .isInstanceOf(MalformedKeyException.class)
        .hasMessage("the key of a record on chat-turns is not valid UTF-8 (3 bytes, malformed from byte 2)");
  }

  @Test
  void sequencesALenientDecoderWouldReadAsSomethingElseAreRefused() {
    byte[][] malformed = {
        {'c', (byte) 0xe2, (byte) 0x82},                   // a three-byte character cut short
        {'c', (byte) 0xc0, (byte) 0xaf},                   // an overlong '/'
        {'c', (byte) 0xed, (byte) 0xa0, (byte) 0x80},      // a UTF-16 surrogate encoded on its own
        {'c', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
    };
    for (byte[] key : malformed) {
      assertThatThrownBy(() -> serde.deserializer().deserialize("chat-turns", key))
          .as("%d bytes", key.length).isInstanceOf(MalformedKeyException.class)
          .hasMessageContaining("malformed from byte 1");
    }
  }
}
