package io.queststream.model.signing;

import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.Matrix;
import io.queststream.schemas.RewardHeads;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bytes a weights signature covers: every field of a RewardHeads record except the two signature fields, in
 * schema order, in an encoding that depends only on the values (never on map iteration order or on the Avro writer
 * schema). Version 1, as docs/security.md specifies it:
 *
 * <pre>
 * "quest-stream reward-heads v1\n" (ASCII), then the fields in this order:
 * model_name, version, parent_version, status, backbone_id, embedding_dim, pooling, attribute_names, scale_min,
 * scale_max, regression, gating_layers, temperature, logit_scale, transform, verbosity_signal, verbosity_lambdas,
 * training_summary, metrics, created_at (epoch milliseconds)
 *
 * int    4 bytes big-endian          long   8 bytes big-endian
 * float  IEEE 754 bits, 4 bytes BE   double IEEE 754 bits, 8 bytes BE
 * string int length of its UTF-8 bytes, then the bytes
 * absent/present  byte 0, or byte 1 followed by the value
 * array  int count, then the elements
 * map    int count, then key and value of each entry, keys in ascending order of their UTF-8 bytes (unsigned)
 * matrix int rows, int cols, int byte length, then the data bytes exactly as stored (little-endian floats)
 * layer  matrix weight, matrix bias, string activation
 * </pre>
 */
public final class CanonicalHeads {

  public static final String DOMAIN = "quest-stream reward-heads v1\n";

  private CanonicalHeads() {}

  public static byte[] encode(RewardHeads r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimate(r));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(DOMAIN.getBytes(StandardCharsets.US_ASCII));
      string(out, r.getModelName());
      out.writeLong(r.getVersion());
      out.writeBoolean(r.getParentVersion() != null);
      if (r.getParentVersion() != null) {
        out.writeLong(r.getParentVersion());
      }
      string(out, r.getStatus());
      string(out, r.getBackboneId());
      out.writeInt(r.getEmbeddingDim());
      string(out, r.getPooling());
      out.writeInt(r.getAttributeNames().size());
      for (String a : r.getAttributeNames()) {
        string(out, a);
      }
      floatBits(out, r.getScaleMin());
      floatBits(out, r.getScaleMax());
      matrix(out, r.getRegression());
      out.writeInt(r.getGatingLayers().size());
      for (DenseLayer l : r.getGatingLayers()) {
        matrix(out, l.getWeight());
        matrix(out, l.getBias());
        string(out, l.getActivation());
      }
      floatBits(out, r.getTemperature());
      floatBits(out, r.getLogitScale());
      matrix(out, r.getTransform());
      string(out, r.getVerbositySignal());
      List<Float> lambdas = r.getVerbosityLambdas();
      out.writeInt(lambdas.size());
      for (Float l : lambdas) {
        floatBits(out, l);
      }
      sortedEntries(out, r.getTrainingSummary(), (o, v) -> string(o, v));
      sortedEntries(out, r.getMetrics(), (o, v) -> o.writeLong(Double.doubleToRawLongBits(v)));
      out.writeLong(r.getCreatedAt().toEpochMilli());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private interface ValueWriter<V> {
    void write(DataOutputStream out, V value) throws IOException;
  }

  private static <V> void sortedEntries(DataOutputStream out, Map<String, V> map, ValueWriter<V> values)
      throws IOException {
    byte[][] keys = map.keySet().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    Arrays.sort(keys, Arrays::compareUnsigned);
    out.writeInt(keys.length);
    for (byte[] key : keys) {
      out.writeInt(key.length);
      out.write(key);
      values.write(out, map.get(new String(key, StandardCharsets.UTF_8)));
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void floatBits(DataOutputStream out, float f) throws IOException {
    out.writeInt(Float.floatToRawIntBits(f));
  }

  private static void matrix(DataOutputStream out, Matrix m) throws IOException {
    out.writeInt(m.getRows());
    out.writeInt(m.getCols());
    ByteBuffer data = m.getData().duplicate();
    out.writeInt(data.remaining());
    byte[] chunk = new byte[Math.min(data.remaining(), 1 << 16)];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      data.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  private static int estimate(RewardHeads r) {
    long n = 4096L + r.getRegression().getData().remaining() + r.getTransform().getData().remaining();
    for (DenseLayer l : r.getGatingLayers()) {
      n += l.getWeight().getData().remaining() + l.getBias().getData().remaining();
    }
    return (int) Math.min(n, Integer.MAX_VALUE - 8);
  }
}
