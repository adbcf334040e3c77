package io.queststream.streams.serde;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Record keys as strings that must be valid UTF-8. Kafka's string deserializer replaces malformed bytes with U+FFFD,
 * so different malformed keys would read as one conversation, and since the producer partitions by the bytes, that
 * one conversation would live on several partitions with a history in each. This serde refuses them instead: the
 * record becomes a dead letter with reason {@code MALFORMED_KEY}.
 */
public final class StrictUtf8Serde implements Serde<String> {

  /** A key whose bytes are not valid UTF-8. */
  public static final class MalformedKeyException extends SerializationException {
    private static final long serialVersionUID = 1L;

    MalformedKeyException(String topic, int length, int at) {
      super("the key of a record on " + topic + " is not valid UTF-8 (" + length + " bytes, malformed from byte "
          + at + ")");
    }
  }

  @Override
  public Serializer<String> serializer() {
    return new StringSerializer();
  }

  @Override
  public Deserializer<String> deserializer() {
    return StrictUtf8Serde::decode;
  }

  static String decode(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(data);
    CharBuffer out = CharBuffer.allocate(data.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new MalformedKeyException(topic, data.length, in.position());
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
