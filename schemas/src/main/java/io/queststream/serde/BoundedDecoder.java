package io.queststream.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over a byte array that refuses lengths and item counts larger than the bytes left.
 * Avro's own decoder allocates whatever a length prefix says (up to 2 GiB) before noticing the data is short, so
 * one corrupt record could exhaust the heap of a streaming job; here it is a {@link AvroRuntimeException} that the
 * deserializer reports as a corrupt payload.
 *
 * <p>An array or map count above the bytes left is refused too: every item of the project's schemas takes at least
 * one byte.
 */
final class BoundedDecoder extends Decoder {

  private final BinaryDecoder in;

  private BoundedDecoder(BinaryDecoder in) {
    this.in = in;
  }

  static BoundedDecoder over(byte[] bytes, int offset, int length) {
    return new BoundedDecoder(DecoderFactory.get().binaryDecoder(bytes, offset, length, null));
  }

  /** Bytes not read yet: the byte-array source knows exactly. */
  int remaining() throws IOException {
    return in.inputStream().available();
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    return new Utf8(readLengthPrefixed("string"));
  }

  @Override
  public String readString() throws IOException {
    return new String(readLengthPrefixed("string"), StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    in.skipString();
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    return ByteBuffer.wrap(readLengthPrefixed("bytes"));
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipBytes();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(in.readArrayStart(), "array");
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(in.arrayNext(), "array");
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(in.readMapStart(), "map");
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(in.mapNext(), "map");
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }

  private byte[] readLengthPrefixed(String what) throws IOException {
    long length = in.readLong();
    int remaining = remaining();
    if (length < 0 || length > remaining) {
      throw new AvroRuntimeException(what + " length " + length + " does not fit the " + remaining + " bytes left");
    }
    byte[] bytes = new byte[(int) length];
    in.readFixed(bytes, 0, bytes.length);
    return bytes;
  }

  private long checkedCount(long count, String what) throws IOException {
    int remaining = remaining();
    if (count > remaining) {
      throw new AvroRuntimeException(what + " of " + count + " items does not fit the " + remaining + " bytes left");
    }
    return count;
  }
}
