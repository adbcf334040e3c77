package io.queststream.schemas.codec;

import io.queststream.schemas.Matrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Converts between {@link Matrix} records (row-major little-endian float32 bytes) and Java float arrays. */
public final class Matrices {

  private Matrices() {}

  public static Matrix of(float[][] rows) {
    int r = rows.length;
    int c = r == 0 ? 0 : rows[0].length;
    ByteBuffer buf = ByteBuffer.allocate(r * c * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer floats = buf.asFloatBuffer();
    for (float[] row : rows) {
      if (row.length != c) {
        throw new IllegalArgumentException("ragged matrix: expected " + c + " columns, found " + row.length);
      }
      floats.put(row);
    }
    return new Matrix(r, c, buf);
  }

  public static Matrix of(int rows, int cols, float[] rowMajor) {
    if (rowMajor.length != rows * cols) {
      throw new IllegalArgumentException(
          "matrix " + rows + "x" + cols + " needs " + rows * cols + " values, found " + rowMajor.length);
    }
    ByteBuffer buf = ByteBuffer.allocate(rowMajor.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(rowMajor);
    return new Matrix(rows, cols, buf);
  }

  public static Matrix row(float[] values) {
    return of(1, values.length, values);
  }

  /** Row-major values; throws if the byte length does not match rows x cols. */
  public static float[] values(Matrix m) {
    ByteBuffer data = m.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long expected = (long) m.getRows() * m.getCols() * Float.BYTES;
    if (m.getRows() < 0 || m.getCols() < 0 || data.remaining() != expected) {
      throw new IllegalArgumentException(
          "matrix " + m.getRows() + "x" + m.getCols() + " needs " + expected + " bytes, found " + data.remaining());
    }
    float[] out = new float[m.getRows() * m.getCols()];
    data.asFloatBuffer().get(out);
    return out;
  }

  public static float[][] rows(Matrix m) {
    float[] flat = values(m);
    float[][] out = new float[m.getRows()][m.getCols()];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(flat, i * m.getCols(), out[i], 0, m.getCols());
    }
    return out;
  }
}
