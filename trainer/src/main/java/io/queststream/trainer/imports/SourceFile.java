package io.queststream.trainer.imports;

/** A data file an import read: its path under the data set's root, size, SHA-256 and how many items it held. */
public record SourceFile(String path, long bytes, String sha256, int items) {}
