package io.queststream.sample.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro object container files that are byte-for-byte reproducible: the sync marker, normally random, is given by
 * the caller, and blocks are stored uncompressed so the bytes do not depend on the platform's zlib.
 */
final class AvroContainerFiles {

  private AvroContainerFiles() {
  }

  static <T extends SpecificRecord> void write(OutputStream out, Schema schema, List<T> records, byte[] syncMarker)
      throws IOException {
    try (DataFileWriter<T> writer = new DataFileWriter<>(new SpecificDatumWriter<T>(schema))) {
      writer.setCodec(CodecFactory.nullCodec());
      writer.create(schema, out, syncMarker);
      for (T record : records) {
        writer.append(record);
      }
    }
  }

  static <T extends SpecificRecord> List<T> read(InputStream in, Class<T> type) throws IOException {
    List<T> records = new ArrayList<>();
    try (DataFileStream<T> stream = new DataFileStream<>(in, new SpecificDatumReader<>(type))) {
      while (stream.hasNext()) {
        records.add(stream.next());
      }
    }
    return records;
  }
}
