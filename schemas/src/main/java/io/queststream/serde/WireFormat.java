package io.queststream.serde;

import static io.queststream.serde.SerdeException.Reason.BAD_MAGIC_BYTE;
import static io.queststream.serde.SerdeException.Reason.TRUNCATED_FRAME;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** The Confluent Schema Registry framing: magic byte 0, the schema id as a 4-byte big-endian int, Avro binary. */
final class WireFormat {

  static final byte MAGIC_BYTE = 0;
  static final int HEADER_LENGTH = 1 + Integer.BYTES;

  private WireFormat() {}

  static void writeHeader(ByteArrayOutputStream out, int schemaId) {
    out.write(MAGIC_BYTE);
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(schemaId).array());
  }

  /** Validates the header of a non-null frame and returns its schema id. */
  static int schemaId(String topic, byte[] frame) {
    if (frame.length < HEADER_LENGTH) {
      throw SerdeException.of(TRUNCATED_FRAME, topic, null,
          "frame has " + frame.length + " bytes, fewer than the " + HEADER_LENGTH
              + "-byte header (magic byte + schema id)");
    }
    if (frame[0] != MAGIC_BYTE) {
      throw SerdeException.of(BAD_MAGIC_BYTE, topic, null,
          String.format("first byte is 0x%02x, expected magic byte 0x00 of the schema registry wire format",
              frame[0] & 0xff));
    }
    return ByteBuffer.wrap(frame, 1, Integer.BYTES).getInt();
  }
}
